package text_test

import (
	"testing"

	"github.com/billtriage/billtriage/features/text"
)

// TestNGramsCount checks the n-gram arithmetic on the padded word,
// counting runes rather than bytes, for the embedder's 3..5 and the
// classifier's default 2..5.
func TestNGramsCount(t *testing.T) {
	tests := []struct {
		word       string
		minN, maxN int
		want       int
	}{
		{"gl", 3, 5, 3},       // " gl ": 2 trigrams + 1 four-gram
		{"tax", 3, 5, 6},      // 5 runes: 3 + 2 + 1
		{"posting", 3, 5, 18}, // 9 runes: 7 + 6 + 5
		{"für", 3, 5, 6},      // runes, not bytes
		{"gl", 2, 5, 6},       // 4 runes: 3 + 2 + 1
		{"", 3, 5, 0},         // "  " is too short for a trigram
	}
	var g text.NGrams
	for _, tt := range tests {
		got := g.Append(nil, []byte(tt.word), tt.minN, tt.maxN)
		if len(got) != tt.want {
			t.Errorf("Append(%q, %d, %d) = %d n-grams, want %d", tt.word, tt.minN, tt.maxN, len(got), tt.want)
		}
	}
}

// TestNGramsAppendsAndReuses: Append keeps what out held and a reused
// NGrams gives the same hashes as a fresh one, so pooled scratch buffers
// cannot leak one word into the next.
func TestNGramsAppendsAndReuses(t *testing.T) {
	var used, fresh text.NGrams
	used.Append(nil, []byte("reconciliation"), 2, 5)
	got := used.Append([]uint64{42}, []byte("tax"), 3, 5)
	want := fresh.Append(nil, []byte("tax"), 3, 5)
	if len(got) != 1+len(want) || got[0] != 42 {
		t.Fatalf("Append onto [42] = %v, want 42 then %v", got, want)
	}
	for i, h := range want {
		if got[1+i] != h {
			t.Errorf("n-gram %d: reused %x, fresh %x", i, got[1+i], h)
		}
	}
}

// TestHashChannels: the tags and the separator keep channels and token
// boundaries apart.
func TestHashChannels(t *testing.T) {
	if text.Bigram([]byte("ab"), []byte("c")) == text.Bigram([]byte("a"), []byte("bc")) {
		t.Error(`Bigram("ab", "c") = Bigram("a", "bc"): the separator does not separate`)
	}
	var g text.NGrams
	// The word "gl" and its char n-gram "gl" are the same bytes; only
	// the tags tell them apart.
	for _, h := range g.Append(nil, []byte("gl"), 2, 5) {
		if h == text.Mix(text.Word([]byte("gl"))) {
			t.Error(`the word "gl" hashes like one of its char n-grams`)
		}
	}
	if text.Word([]byte("ab")) == text.Bigram([]byte("a"), []byte("b")) {
		t.Error("a word and a bigram share a hash")
	}
}

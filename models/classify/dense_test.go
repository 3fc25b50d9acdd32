package classify_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"slices"
	"testing"

	"github.com/billtriage/billtriage/models/classify"
)

// denseCorpus returns examples whose texts say nothing about the label
// (two phrasings shared by every class) while the embedding does: class c
// points along axis c, plus a little of every other axis.
func denseCorpus(n, classes, dims int) []classify.Example {
	out := make([]classify.Example, n)
	for i := range out {
		c := i % classes
		v := make([]float32, dims)
		for d := range v {
			v[d] = 0.05 * float32((i*7+d*3)%5)
		}
		v[c] += 1
		out[i] = classify.Example{Text: []string{"please look at my bill", "question about the invoice"}[i/classes%2],
			Label: string(rune('a' + c)), Vector: v}
	}
	return out
}

func trainExamples(t *testing.T, ex []classify.Example) *classify.Model {
	t.Helper()
	m, err := classify.TrainFrom(t.Context(), slices.Values(ex), classify.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestDenseChannelLearnsFromEmbeddings: when only the embedding tells the
// classes apart, a model trained with embeddings predicts them from the
// embedding, and falls back to its n-grams (no better than a guess here)
// when a vector is missing or of another length.
func TestDenseChannelLearnsFromEmbeddings(t *testing.T) {
	const classes, dims = 4, 16
	m := trainExamples(t, denseCorpus(400, classes, dims))
	if m.Dims() != dims {
		t.Fatalf("Dims() = %d, want %d", m.Dims(), dims)
	}
	test := denseCorpus(40, classes, dims)
	tests := []struct {
		name    string
		vec     func(classify.Example) []float32
		minHits int
		maxHits int
	}{
		{"with the embedding", func(e classify.Example) []float32 { return e.Vector }, 40, 40},
		{"without", func(classify.Example) []float32 { return nil }, 0, 20},
		{"of another length", func(e classify.Example) []float32 { return e.Vector[:dims-1] }, 0, 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits := 0
			for _, e := range test {
				if l, _ := m.TopVector(e.Text, tt.vec(e)); l == e.Label {
					hits++
				}
			}
			if hits < tt.minHits || hits > tt.maxHits {
				t.Errorf("%d of %d right, want %d..%d", hits, len(test), tt.minHits, tt.maxHits)
			}
		})
	}
}

// TestDenseMarshalRoundTrip: the dense weights survive encoding, and a
// model encoded before the dense channel (format version 1) or the
// precedent mix (version 2) existed still decodes, as an n-gram model.
func TestDenseMarshalRoundTrip(t *testing.T) {
	ex := denseCorpus(200, 3, 8)
	m := trainExamples(t, ex)
	b, _ := m.MarshalBinary()
	var got classify.Model
	if err := got.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if got.Dims() != 8 {
		t.Errorf("decoded Dims() = %d, want 8", got.Dims())
	}
	for _, e := range ex[:20] {
		if a, b := m.PredictVector(e.Text, e.Vector), got.PredictVector(e.Text, e.Vector); !slices.Equal(a, b) {
			t.Fatalf("PredictVector(%q): original %v, decoded %v", e.Text, a, b)
		}
	}

	texts, labels := corpus(90, 17)
	plain, err := classify.Train(texts, labels, classify.Config{})
	if err != nil {
		t.Fatal(err)
	}
	cur, _ := plain.MarshalBinary()
	for _, version := range []uint16{1, 2} {
		var old classify.Model
		if err := old.UnmarshalBinary(asOldVersion(t, cur, version)); err != nil || old.Dims() != 0 {
			t.Fatalf("version %d bytes: %v, Dims() = %d", version, err, old.Dims())
		}
		for _, x := range texts[:20] {
			if a, b := plain.Predict(x), old.Predict(x); !slices.Equal(a, b) {
				t.Fatalf("Predict(%q): today's encoding %v, version %d %v", x, a, version, b)
			}
		}
	}
	v1 := asOldVersion(t, cur, 1)
	var old classify.Model
	if err := old.UnmarshalBinary(v1[:len(v1)-9]); !errors.Is(err, classify.ErrFormat) {
		t.Errorf("truncated version 1 bytes: err %v, want ErrFormat", err)
	}
}

// asOldVersion rewrites today's encoding of an n-gram-only model as an
// older format version wrote it: version 2 had no precedent mix (two
// float64 zeros before the biases), and version 1 no dims field either
// (one 0 byte before those). It drops the run of zero bytes whose removal
// gives bytes that decode to a model encoding back to today's (removing
// zeros of a weight would decode too, to other weights).
func asOldVersion(t *testing.T, cur []byte, version uint16) []byte {
	t.Helper()
	drop := 16
	if version == 1 {
		drop = 17
	}
	body := slices.Clone(cur[:len(cur)-4])
	binary.LittleEndian.PutUint16(body[4:], version)
	for i := len(body) - drop; i > 6; i-- {
		if !allZero(body[i : i+drop]) {
			continue
		}
		cand := append(slices.Clone(body[:i]), body[i+drop:]...)
		cand = binary.LittleEndian.AppendUint32(cand, crc32.ChecksumIEEE(cand))
		var m classify.Model
		if m.UnmarshalBinary(cand) != nil {
			continue
		}
		if again, _ := m.MarshalBinary(); bytes.Equal(again, cur) {
			return cand
		}
	}
	t.Fatalf("no version %d encoding found", version)
	return nil
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

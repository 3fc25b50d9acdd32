package embeddings_test

import (
	"context"
	"math"
	"slices"
	"testing"
)

// FuzzLocalEmbed feeds arbitrary bytes, valid UTF-8 or not: Embed must
// not panic, must return a finite unit vector and must be deterministic.
func FuzzLocalEmbed(f *testing.F) {
	for _, s := range localTexts {
		f.Add(s)
	}
	f.Add("INV-\xff2041 $1,2,,3.4.5 2024-13-45T99 ’’'' -_-_ @@ ## ０１２ ٣٤ e\u0301e\u0301")
	l := newLocal(f, 64)
	f.Fuzz(func(t *testing.T, text string) {
		vs, err := l.Embed(context.Background(), []string{text, text})
		if err != nil {
			t.Fatalf("Embed(%q): %v", text, err)
		}
		v := vs[0]
		if len(v) != l.Dims() {
			t.Fatalf("Embed(%q): len %d, want %d", text, len(v), l.Dims())
		}
		for _, x := range v {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				t.Fatalf("Embed(%q): non-finite component %v", text, x)
			}
		}
		if n := norm(v); math.Abs(n-1) > unitTolerance {
			t.Fatalf("Embed(%q): norm %v", text, n)
		}
		if !slices.Equal(vs[0], vs[1]) {
			t.Fatalf("Embed(%q): not deterministic", text)
		}
	})
}

package embeddings_test

import (
	"context"
	"math"
	"testing"
)

// embedder is the structural contract of triage.Embedder, restated here
// because this package must not import triage.
type embedder interface {
	Name() string
	Dims() int
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}

// cosine of two vectors of equal length.
func cosine(a, b []float32) float64 {
	var dot, na, nb float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	return dot / math.Sqrt(na*nb)
}

// norm is the Euclidean length of v.
func norm(v []float32) float64 {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	return math.Sqrt(s)
}

// unitTolerance is what float32 rounding allows a normalised vector.
const unitTolerance = 1e-5

// embedPair embeds two texts in one call and fails the test on error.
func embedPair(t testing.TB, e embedder, a, b string) (va, vb []float32) {
	t.Helper()
	vs, err := e.Embed(context.Background(), []string{a, b})
	if err != nil {
		t.Fatalf("Embed: %v", err)
	}
	return vs[0], vs[1]
}

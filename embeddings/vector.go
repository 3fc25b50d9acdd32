package embeddings

import "math"

// l2 returns the Euclidean norm of v, summed in float64 so that the
// unit-norm guarantee holds to float32 precision even at 4096 dims.
func l2(v []float32) float64 {
	var s float64
	for _, x := range v {
		s += float64(float64(x) * float64(x)) // no FMA, see counter.accumulate
	}
	return math.Sqrt(s)
}

// normalize scales v to unit length in place. It reports false, leaving v
// unchanged, when the norm is zero or not finite: such a vector has no
// direction and pgvector's cosine distance on it is NaN.
func normalize(v []float32) bool {
	n := l2(v)
	if n == 0 || math.IsInf(n, 0) || math.IsNaN(n) {
		return false
	}
	scale(v, 1/n)
	return true
}

func scale(v []float32, f float64) {
	for i := range v {
		v[i] = float32(float64(v[i]) * f)
	}
}

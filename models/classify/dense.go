package classify

import "math"

// The dense channel: when the examples carry an embedding (from a
// pretrained embedder such as an OpenAI-compatible endpoint), the model
// also learns weights for its components. The vector is L2-normalised
// and appended after the vocabulary's rows, so it carries as much energy
// as the whole sparse part: a pretrained embedding brings what n-grams
// cannot (that "card arrival" and "delivery estimate" mean alike), and
// the n-grams keep what the embedding blurs. Equal energy was the best of
// the weights tried on BANKING77 (0.5, 1, 2).

// denseOf returns vec normalised to unit length when it has dims
// components, and nil otherwise: an example whose embedding is missing or
// of another embedder contributes through its n-grams only.
func denseOf(vec []float32, dims int) []float32 {
	if dims == 0 || len(vec) != dims {
		return nil
	}
	sum := 0.0
	for _, v := range vec {
		sum += float64(v) * float64(v)
	}
	if sum == 0 || math.IsInf(sum, 0) || math.IsNaN(sum) {
		return nil
	}
	s := 1 / math.Sqrt(sum)
	out := make([]float32, dims)
	for i, v := range vec {
		out[i] = float32(float64(v) * s)
	}
	return out
}

// appendDense appends dense as features base, base+1, ...; base is past
// every sparse row, so the result stays sorted.
func appendDense(fs []Feature, base int, dense []float32) []Feature {
	for i, v := range dense {
		if v != 0 {
			fs = append(fs, Feature{Index: int32(base + i), Value: v})
		}
	}
	return fs
}

package classify

import "math"

// softmaxInPlace turns logits z into probabilities, scaled by the inverse
// temperature beta. Subtracting the maximum keeps exp from overflowing.
func softmaxInPlace(z []float64, beta float64) {
	m := math.Inf(-1)
	for _, v := range z {
		m = max(m, v)
	}
	sum := 0.0
	for i, v := range z {
		e := math.Exp(beta * (v - m))
		z[i] = e
		sum += e
	}
	for i := range z {
		z[i] /= sum
	}
}

// logSumExp returns log Σ exp(beta·z), stably.
func logSumExp(z []float64, beta float64) float64 {
	m := math.Inf(-1)
	for _, v := range z {
		m = max(m, beta*v)
	}
	sum := 0.0
	for _, v := range z {
		sum += math.Exp(beta*v - m)
	}
	return m + math.Log(sum)
}

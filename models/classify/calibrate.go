package classify

import "math"

// Bounds of the inverse temperature searched by fitTemperature. T from
// 1/20 to 20 covers every model seen in practice; a fit that lands on a
// bound means the hold-out is degenerate (all right, or all wrong), and
// the bound is still the better choice than 1.
const (
	minBeta = 0.05
	maxBeta = 20
)

// fitTemperature returns the temperature T minimising the mean negative
// log-likelihood of softmax(z/T) over held-out logits zs with classes y.
// The NLL is convex in β = 1/T (a log-sum-exp of β minus a linear term),
// so a golden-section search on β finds the global minimum.
func fitTemperature(zs [][]float64, y []int32) float64 {
	nll := func(beta float64) float64 {
		s := 0.0
		for i, z := range zs {
			s += logSumExp(z, beta) - beta*z[y[i]]
		}
		return s
	}
	return 1 / goldenMin(nll, minBeta, maxBeta, 1e-6)
}

// goldenMin returns the minimiser of a unimodal f on [lo, hi] to within
// tol.
func goldenMin(f func(float64) float64, lo, hi, tol float64) float64 {
	invPhi := (math.Sqrt(5) - 1) / 2
	a, b := lo, hi
	c, d := b-invPhi*(b-a), a+invPhi*(b-a)
	fc, fd := f(c), f(d)
	for b-a > tol {
		if fc < fd {
			b, d, fd = d, c, fc
			c = b - invPhi*(b-a)
			fc = f(c)
		} else {
			a, c, fc = c, d, fd
			d = a + invPhi*(b-a)
			fd = f(d)
		}
	}
	return (a + b) / 2
}

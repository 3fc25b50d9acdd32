package chart

import "math"

// Ticks returns a "nice" step (1, 2 or 5 times a power of ten) and the
// axis top, the smallest multiple of step at or above max, so that about n
// gridlines cover 0..max. A max of zero or less gets the axis 0..1, so an
// empty chart still has a scale and nothing divides by zero.
func Ticks(max float64, n int) (step, top float64) {
	if n < 1 {
		n = 1
	}
	if !(max > 0) || math.IsInf(max, 0) {
		return 1, 1
	}
	raw := max / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step = 10 * mag
	for _, m := range []float64{1, 2, 5} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	// Counts are whole numbers: a step below 1 would label 0.2 of an
	// exception, so small axes count in ones.
	step = math.Max(step, 1)
	top = math.Ceil(max/step) * step
	return step, top
}

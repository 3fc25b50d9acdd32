package eval

import "math"

// Metrics are rounded to six decimals: enough to tell runs apart, and a
// file a person can read and diff.
const scale = 1e6

func round6(x float64) float64 { return math.Round(x*scale) / scale }

// floor6 rounds a threshold down, so that the rounded threshold still
// admits the case whose confidence defined it.
func floor6(x float64) float64 { return math.Floor(x*scale) / scale }

// ratio is num/den rounded, or nil when den is 0.
func ratio(num, den int) *float64 {
	if den == 0 {
		return nil
	}
	v := round6(float64(num) / float64(den))
	return &v
}

// some is a rounded value that exists only when ok.
func some(x float64, ok bool) *float64 {
	if !ok {
		return nil
	}
	v := round6(x)
	return &v
}

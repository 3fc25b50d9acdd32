package risk

import (
	"fmt"
	"math"
	"slices"
)

// Calibration methods.
const (
	Platt    = "platt"
	Isotonic = "isotonic"
)

// Calibration maps a model's raw score to a probability. It is fitted on a
// time slice after the training data, because scores on the training rows
// themselves are over-confident.
type Calibration struct {
	Method string  `json:"method"`
	A      float64 `json:"a,omitempty"` // Platt: p = σ(A·score + B)
	B      float64 `json:"b,omitempty"`
	Knots  []Knot  `json:"knots,omitempty"` // isotonic: increasing steps
}

// Knot is one block of an isotonic fit: scores in [Lo, Hi] map to P.
type Knot struct {
	Lo, Hi, P float64
}

// FitCalibration fits the named method to scores and outcomes.
func FitCalibration(method string, score []float64, y []bool) (Calibration, error) {
	switch method {
	case Platt, "":
		a, b := fitPlatt(score, y)
		return Calibration{Method: Platt, A: a, B: b}, nil
	case Isotonic:
		return Calibration{Method: Isotonic, Knots: fitIsotonic(score, y)}, nil
	}
	return Calibration{}, fmt.Errorf("risk: unknown calibration %q (want %s or %s)", method, Platt, Isotonic)
}

// Apply turns a raw score into a probability.
func (c Calibration) Apply(score float64) float64 {
	if c.Method == Isotonic {
		return isotonicAt(c.Knots, score)
	}
	return sigmoid(c.A*score + c.B)
}

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// fitPlatt fits σ(a·s + b) by Newton's method on the log-likelihood with
// Platt's smoothed targets, (N₊+1)/(N₊+2) and 1/(N₋+2), which keep the fit
// finite when the scores separate the classes.
func fitPlatt(s []float64, y []bool) (a, b float64) {
	pos := 0
	for _, v := range y {
		if v {
			pos++
		}
	}
	hi, lo := (float64(pos)+1)/(float64(pos)+2), 1/(float64(len(y)-pos)+2)
	a = 1
	for range 100 {
		var g0, g1, h00, h01, h11 float64
		for i := range s {
			t := lo
			if y[i] {
				t = hi
			}
			p := sigmoid(a*s[i] + b)
			d, w := p-t, max(p*(1-p), 1e-12)
			g0, g1 = g0+d*s[i], g1+d
			h00, h01, h11 = h00+w*s[i]*s[i], h01+w*s[i], h11+w
		}
		h00 += 1e-9 // keeps the 2×2 system solvable when all scores are equal
		det := h00*h11 - h01*h01
		da, db := (h11*g0-h01*g1)/det, (h00*g1-h01*g0)/det
		a, b = a-da, b-db
		if math.Abs(da)+math.Abs(db) < 1e-12 {
			break
		}
	}
	return a, b
}

// fitIsotonic runs pool-adjacent-violators on the outcomes ordered by
// score; equal scores are pooled first so that they get one probability.
func fitIsotonic(s []float64, y []bool) []Knot {
	idx := make([]int, len(s))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmpFloat(s[a], s[b]) })
	type block struct{ lo, hi, sum, n float64 }
	var st []block
	for _, i := range idx {
		if k := len(st) - 1; k >= 0 && st[k].hi == s[i] {
			st[k].sum, st[k].n = st[k].sum+target(y[i]), st[k].n+1
		} else {
			st = append(st, block{s[i], s[i], target(y[i]), 1})
		}
		for k := len(st) - 1; k > 0 && st[k-1].sum/st[k-1].n >= st[k].sum/st[k].n; k-- {
			st[k-1] = block{st[k-1].lo, st[k].hi, st[k-1].sum + st[k].sum, st[k-1].n + st[k].n}
			st = st[:k]
		}
	}
	knots := make([]Knot, len(st))
	for k, b := range st {
		knots[k] = Knot{b.lo, b.hi, b.sum / b.n}
	}
	return knots
}

// isotonicAt reads the step function, interpolating linearly between
// blocks so that scores between two blocks keep their order.
func isotonicAt(knots []Knot, s float64) float64 {
	if len(knots) == 0 {
		return 0.5
	}
	k, _ := slices.BinarySearchFunc(knots, s, func(k Knot, s float64) int { return cmpFloat(k.Hi, s) })
	switch {
	case k == len(knots):
		return knots[k-1].P
	case s >= knots[k].Lo || k == 0:
		return knots[k].P
	}
	prev, next := knots[k-1], knots[k]
	return prev.P + (next.P-prev.P)*(s-prev.Hi)/(next.Lo-prev.Hi)
}

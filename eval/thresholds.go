package eval

import (
	"math"
	"sort"
)

// Candidate is a test case as the threshold search sees it.
type Candidate struct {
	Confidence float64
	// Floor is a threshold that applies whatever the type threshold is
	// (an action threshold); 0 when none.
	Floor float64
	// Eligible is false when the policy would never automate the case,
	// however confident (a human-only action, say).
	Eligible bool
	Correct  bool
}

// CurvePoint is precision and coverage at one threshold. Support is the
// number of cases automated at it.
type CurvePoint struct {
	Threshold, Precision, Coverage float64
	Support                        int
}

// PrecisionCoverage evaluates every threshold worth trying: the distinct
// confidences of the eligible cases, rounded down to six decimals (so the
// threshold evaluated is exactly the one reported), lowest first. Coverage
// is the share of total (all the type's scored cases) that would be
// automated.
func PrecisionCoverage(cands []Candidate, total int) []CurvePoint {
	var ts []float64
	for _, c := range cands {
		if c.Eligible {
			ts = append(ts, floor6(c.Confidence))
		}
	}
	sort.Float64s(ts)
	var out []CurvePoint
	for i, t := range ts {
		if i > 0 && t == ts[i-1] {
			continue
		}
		auto, correct := 0, 0
		for _, c := range cands {
			if c.Eligible && c.Confidence >= math.Max(t, c.Floor) {
				auto++
				if c.Correct {
					correct++
				}
			}
		}
		if auto == 0 {
			continue // every case at t is held back by its floor
		}
		out = append(out, CurvePoint{Threshold: t, Precision: float64(correct) / float64(auto),
			Coverage: float64(auto) / float64(total), Support: auto})
	}
	return out
}

// Recommend returns the lowest threshold of the curve whose precision
// meets target on at least minSupport automated cases, or nil when none
// does. The lowest such threshold automates the most.
func Recommend(curve []CurvePoint, target float64, minSupport int) *Threshold {
	for _, p := range curve {
		if p.Support >= minSupport && p.Precision >= target {
			return &Threshold{Threshold: p.Threshold, Precision: round6(p.Precision),
				Coverage: round6(p.Coverage), Support: p.Support}
		}
	}
	return nil
}

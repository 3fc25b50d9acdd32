package risk

import "slices"

// ReliabilityBin is one row of a reliability table: rows whose predicted
// probabilities lie in [Lo, Hi], their mean prediction and the share of
// them that were late. A calibrated model has Predicted close to Observed
// in every bin.
type ReliabilityBin struct {
	Lo        float64 `json:"lo"`        // lowest prediction in the bin
	Hi        float64 `json:"hi"`        // highest prediction in the bin
	N         int     `json:"n"`         // rows in the bin
	Positives int     `json:"positives"` // late rows in the bin
	Predicted float64 `json:"predicted"` // mean predicted probability
	Observed  float64 `json:"observed"`  // Positives / N
}

// Reliability cuts the rows into bins groups of about equal size by
// predicted probability (bins 10 gives deciles) and reports predicted
// against observed in each, lowest predictions first. Unlike ECE's
// equal-width bins, equal counts keep every row of the table meaningful
// when the predictions crowd into a narrow range, as they do for a rare
// outcome. Rows with equal predictions stay in one bin, so that the table
// does not depend on the order of the input; a bin that ties leave empty
// is dropped, and fewer than bins rows are returned then. p and y have one
// entry per row; no rows or bins < 1 give nil.
func Reliability(p []float64, y []bool, bins int) []ReliabilityBin {
	n := len(p)
	if n == 0 || bins < 1 {
		return nil
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmpFloat(p[a], p[b]) })
	var out []ReliabilityBin
	start := 0
	for k := 1; k <= bins && start < n; k++ {
		end := max(start, k*n/bins)
		for end > 0 && end < n && p[idx[end]] == p[idx[end-1]] {
			end++ // a cut inside a run of equal predictions moves past it
		}
		if end == start {
			continue
		}
		b := ReliabilityBin{Lo: p[idx[start]], Hi: p[idx[end-1]], N: end - start}
		var sum float64
		for _, i := range idx[start:end] {
			sum += p[i]
			if y[i] {
				b.Positives++
			}
		}
		b.Predicted = sum / float64(b.N)
		b.Observed = float64(b.Positives) / float64(b.N)
		out = append(out, b)
		start = end
	}
	return out
}

package risk

import (
	"math"
	"slices"
)

// Metrics say how well probabilities match outcomes on one set of rows.
type Metrics struct {
	N         int     `json:"n"`
	Positives int     `json:"positives"`
	AUC       float64 `json:"auc"`      // ranking: 0.5 is chance, 1 perfect
	Brier     float64 `json:"brier"`    // mean squared error of p; lower is better
	ECE       float64 `json:"ece"`      // expected calibration error, 10 equal-width bins
	LogLoss   float64 `json:"log_loss"` // mean negative log-likelihood; lower is better
}

// Evaluate computes all metrics of p against y. With no rows, or with one
// class missing, AUC is NaN: ranking is undefined then.
func Evaluate(p []float64, y []bool) Metrics {
	pos := 0
	for _, v := range y {
		if v {
			pos++
		}
	}
	return Metrics{N: len(y), Positives: pos, AUC: AUC(p, y), Brier: Brier(p, y), ECE: ECE(p, y, 10), LogLoss: LogLoss(p, y)}
}

// AUC is the area under the ROC curve computed as the Mann-Whitney
// statistic: the chance that a random positive scores above a random
// negative, ties counting one half (average ranks).
func AUC(p []float64, y []bool) float64 {
	idx := make([]int, len(p))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmpFloat(p[a], p[b]) })
	var rankSum float64
	pos := 0
	for start := 0; start < len(idx); {
		end := start
		for end < len(idx) && p[idx[end]] == p[idx[start]] {
			end++
		}
		mid := float64(start+end+1) / 2 // average 1-based rank of the tie group
		for _, i := range idx[start:end] {
			if y[i] {
				rankSum += mid
				pos++
			}
		}
		start = end
	}
	neg := len(p) - pos
	if pos == 0 || neg == 0 {
		return math.NaN()
	}
	return (rankSum - float64(pos)*float64(pos+1)/2) / (float64(pos) * float64(neg))
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func target(v bool) float64 {
	if v {
		return 1
	}
	return 0
}

// Brier is the mean squared difference between p and the 0/1 outcome.
func Brier(p []float64, y []bool) float64 {
	var s float64
	for i := range p {
		d := p[i] - target(y[i])
		s += d * d
	}
	return s / float64(len(p))
}

// ECE splits [0, 1] into bins equal-width bins and averages, weighted by
// the bins' sizes, the gap between mean predicted and observed frequency.
func ECE(p []float64, y []bool, bins int) float64 {
	s := binSums(p, y, bins)
	var e float64
	for b := range bins {
		if s.n[b] > 0 {
			e += math.Abs(s.p[b]-s.y[b]) / float64(len(p))
		}
	}
	return e
}

// CalibrationBin is one non-empty bin of ECE's equal-width binning: the
// rows predicted in [Lo, Hi) (the last bin also holds 1), their mean
// prediction and the share of them that were positive. A reliability
// diagram plots MeanP against Observed.
type CalibrationBin struct {
	Lo, Hi   float64
	N        int
	MeanP    float64
	Observed float64
}

// CalibrationBins returns the non-empty bins that ECE(p, y, bins) averages
// over, lowest first, so that a diagram shows exactly what the figure
// measures.
func CalibrationBins(p []float64, y []bool, bins int) []CalibrationBin {
	s := binSums(p, y, bins)
	var out []CalibrationBin
	for b := range bins {
		if s.n[b] == 0 {
			continue
		}
		k := float64(s.n[b])
		out = append(out, CalibrationBin{Lo: float64(b) / float64(bins), Hi: float64(b+1) / float64(bins),
			N: s.n[b], MeanP: s.p[b] / k, Observed: s.y[b] / k})
	}
	return out
}

// sums are the per-bin totals of predictions (p) and outcomes (y) and the
// row counts (n) of an equal-width binning.
type sums struct {
	p, y []float64
	n    []int
}

// binSums adds up the rows in index order, which fixes the float sums that
// ECE and CalibrationBins both derive from. A p of exactly 1 goes in the top
// bin rather than an extra one.
func binSums(p []float64, y []bool, bins int) sums {
	s := sums{p: make([]float64, bins), y: make([]float64, bins), n: make([]int, bins)}
	for i := range p {
		b := min(int(p[i]*float64(bins)), bins-1)
		b = max(b, 0)
		s.p[b] += p[i]
		s.y[b] += target(y[i])
		s.n[b]++
	}
	return s
}

// LogLoss is the mean negative log-likelihood, with p clipped to
// [1e-15, 1-1e-15] so that one confident mistake is costly but finite.
func LogLoss(p []float64, y []bool) float64 {
	var s float64
	for i := range p {
		q := min(max(p[i], 1e-15), 1-1e-15)
		if y[i] {
			s -= math.Log(q)
		} else {
			s -= math.Log(1 - q)
		}
	}
	return s / float64(len(p))
}

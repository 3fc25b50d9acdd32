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
	sumP := make([]float64, bins)
	sumY := make([]float64, bins)
	n := make([]int, bins)
	for i := range p {
		b := min(int(p[i]*float64(bins)), bins-1)
		b = max(b, 0)
		sumP[b] += p[i]
		sumY[b] += target(y[i])
		n[b]++
	}
	var e float64
	for b := range bins {
		if n[b] > 0 {
			e += math.Abs(sumP[b]-sumY[b]) / float64(len(p))
		}
	}
	return e
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

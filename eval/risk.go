package eval

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// RiskScorer is the invoice risk model under evaluation. The harness only
// needs a probability and what actually happened, so any model fits.
type RiskScorer interface {
	// Name identifies the model and its version in the report.
	Name() string
	// Score returns the predicted probability that inv goes bad and the
	// observed outcome. ok is false for an invoice the model cannot
	// score or whose outcome is not known yet; it is left out.
	Score(ctx context.Context, inv triage.Invoice) (p float64, bad, ok bool, err error)
}

// scoreRisk scores the invoices issued from the split on, in id order.
func scoreRisk(ctx context.Context, m RiskScorer, invs []triage.Invoice, from time.Time) (*RiskMetrics, []Bin, error) {
	test := make([]triage.Invoice, 0, len(invs))
	for _, inv := range invs {
		if !inv.IssuedAt.Before(from) {
			test = append(test, inv)
		}
	}
	sort.Slice(test, func(i, j int) bool { return test[i].InvoiceID < test[j].InvoiceID })
	var ps []float64
	var ys []bool
	for _, inv := range test {
		p, bad, ok, err := m.Score(ctx, inv)
		if err != nil {
			return nil, nil, fmt.Errorf("eval: risk model %s on invoice %s: %w", m.Name(), inv.InvoiceID, err)
		}
		if ok {
			ps, ys = append(ps, p), append(ys, bad)
		}
	}
	if len(ps) == 0 {
		return nil, nil, nil
	}
	auc, aucOK := AUC(ps, ys)
	ece, bins := ECE(ps, ys, 10)
	pos := 0
	for _, y := range ys {
		if y {
			pos++
		}
	}
	return &RiskMetrics{Model: m.Name(), Invoices: len(ps), Positives: pos, AUC: some(auc, aucOK),
		Brier: round6(Brier(ps, ys)), ECE: round6(ece)}, bins, nil
}

// AUC is the area under the ROC curve: the probability that a random
// positive scores above a random negative, ties counting one half
// (Mann–Whitney U with mid-ranks). ok is false without both classes.
func AUC(p []float64, y []bool) (auc float64, ok bool) {
	idx := make([]int, len(p))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return p[idx[a]] < p[idx[b]] })
	rankSum, pos := 0.0, 0
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && p[idx[j]] == p[idx[i]] {
			j++
		}
		mid := float64(i+j+1) / 2 // mean of the 1-based ranks i+1..j
		for k := i; k < j; k++ {
			if y[idx[k]] {
				rankSum += mid
				pos++
			}
		}
		i = j
	}
	neg := len(p) - pos
	if pos == 0 || neg == 0 {
		return 0, false
	}
	return (rankSum - float64(pos*(pos+1))/2) / float64(pos*neg), true
}

// Brier is the mean squared difference between probability and outcome.
func Brier(p []float64, y []bool) float64 {
	if len(p) == 0 {
		return 0
	}
	sum := 0.0
	for i := range p {
		d := p[i] - b2f(y[i])
		sum += d * d
	}
	return sum / float64(len(p))
}

// Bin is one bin of a reliability diagram.
type Bin struct {
	Lo, Hi   float64
	N        int
	MeanP    float64
	Observed float64
}

// ECE is the expected calibration error over n equal-width bins of the
// probability ([0, 1/n), …, [1-1/n, 1], the last one closed): the mean
// over cases of |mean probability − observed rate| of their bin. It also
// returns the non-empty bins, for the reliability diagram.
func ECE(p []float64, y []bool, n int) (float64, []Bin) {
	sumP, pos, count := make([]float64, n), make([]float64, n), make([]int, n)
	for i := range p {
		b := min(int(p[i]*float64(n)), n-1)
		b = max(b, 0)
		sumP[b] += p[i]
		pos[b] += b2f(y[i])
		count[b]++
	}
	ece := 0.0
	var bins []Bin
	for b := range n {
		if count[b] == 0 {
			continue
		}
		k := float64(count[b])
		bin := Bin{Lo: float64(b) / float64(n), Hi: float64(b+1) / float64(n), N: count[b], MeanP: sumP[b] / k, Observed: pos[b] / k}
		bins = append(bins, bin)
		ece += k / float64(len(p)) * math.Abs(bin.MeanP-bin.Observed)
	}
	return ece, bins
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

package eval

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/billtriage/billtriage/models/risk"
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
func scoreRisk(ctx context.Context, m RiskScorer, invs []triage.Invoice, from time.Time) (*RiskMetrics, []risk.CalibrationBin, error) {
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
	ev := risk.Evaluate(ps, ys)
	return &RiskMetrics{Model: m.Name(), Invoices: ev.N, Positives: ev.Positives, AUC: some(ev.AUC, !math.IsNaN(ev.AUC)),
		Brier: round6(ev.Brier), ECE: round6(ev.ECE)}, risk.CalibrationBins(ps, ys, 10), nil
}

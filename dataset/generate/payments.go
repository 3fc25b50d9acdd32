package generate

import (
	"math"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// settlePayments decides when each invoice was paid, if it was by the end of
// the window.
func (w *world) settlePayments(r *rng) {
	for i := range w.invoices {
		w.invoices[i].PaidAt = paidAt(r, &w.invoices[i], w.invCust[i], w.end)
	}
}

// lateProbability is the chance of paying more than 30 days after the due
// date or never. It rises with the customer's unreliability, the invoice's
// size, a dispute, longer terms and the region's collection norms; a
// risk model trained on this data should find exactly these signals.
func lateProbability(inv *triage.Invoice, cu *customer) float64 {
	usd := inv.Amount / fxPerUSD[inv.Currency]
	z := -2.6 + 6*(0.72-cu.reliability) + 0.3*math.Log(usd/2000) +
		0.015*float64(cu.terms-30) + regionLateness[cu.country.region]
	if inv.Disputed {
		z += 2.2
	}
	return 1 / (1 + math.Exp(-z))
}

func paidAt(r *rng, inv *triage.Invoice, cu *customer, end time.Time) *time.Time {
	var days float64
	if r.chance(lateProbability(inv, cu)) {
		if r.chance(0.2) {
			return nil // written off or still chased
		}
		days = 31 + r.ExpFloat64()*25
	} else {
		// On time: some pay early, the less reliable drift towards the limit.
		days = min(29, -float64(cu.terms)*0.3*r.Float64()+r.ExpFloat64()*(1+8*(1-cu.reliability)))
	}
	t := inv.DueAt.Add(time.Duration(days * float64(24*time.Hour))).Truncate(24 * time.Hour)
	if t.Before(inv.IssuedAt) {
		t = inv.IssuedAt
	}
	if !t.Before(end) {
		return nil // not paid yet when the window closes
	}
	return &t
}

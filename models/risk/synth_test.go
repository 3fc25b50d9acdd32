package risk_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/billtriage/billtriage/triage"
)

var synthStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// synthAsOf is long enough after the last invoice for every lateness
// window to have closed.
var synthAsOf = synthStart.AddDate(1, 6, 0)

type synthCustomer struct {
	id, region, currency string
	reliability, usd     float64
	terms                int
}

var synthRegions = []struct {
	region, currency string
	fx, lateness     float64 // fx: USD per unit
}{{"NA", "USD", 1, 0}, {"EMEA", "EUR", 1.08, 0.3}, {"APAC", "JPY", 0.0067, 0.5}, {"LATAM", "USD", 1, 1}}

var synthFX = map[string]float64{"USD": 1, "EUR": 1.08, "JPY": 0.0067}

// synthLateProb is the known truth: the log-odds of paying more than 30
// days late rise with the customer's unreliability, a dispute, the amount
// and the region.
func synthLateProb(cu synthCustomer, usd float64, disputed bool, lateness float64) float64 {
	z := -1.6 + 5*(0.5-cu.reliability) + 0.4*math.Log(usd/2000) + lateness
	if disputed {
		z += 2
	}
	return 1 / (1 + math.Exp(-z))
}

// synthInvoices makes n invoices over a year for 60 customers.
func synthInvoices(seed uint64, n int) []triage.Invoice {
	r := rand.New(rand.NewPCG(seed, 99))
	custs := make([]synthCustomer, 60)
	regionOf := make([]int, len(custs))
	for i := range custs {
		regionOf[i] = r.IntN(len(synthRegions))
		g := synthRegions[regionOf[i]]
		custs[i] = synthCustomer{id: fmt.Sprintf("C%02d", i), region: g.region, currency: g.currency,
			reliability: r.Float64(), usd: 300 * math.Exp(r.NormFloat64()*1.2), terms: []int{30, 45, 60}[r.IntN(3)]}
	}
	invs := make([]triage.Invoice, n)
	for i := range invs {
		k := r.IntN(len(custs))
		cu, g := custs[k], synthRegions[regionOf[k]]
		issued := synthStart.AddDate(0, 0, r.IntN(365))
		usd := cu.usd * math.Exp(r.NormFloat64()*0.3)
		inv := triage.Invoice{InvoiceID: fmt.Sprintf("INV-%05d", i), CustomerID: cu.id, IssuedAt: issued,
			DueAt: issued.AddDate(0, 0, cu.terms), Amount: math.Round(usd/g.fx*100) / 100, Currency: cu.currency,
			Region: cu.region, Disputed: r.Float64() < 0.15}
		inv.PaidAt = synthPayment(r, inv, synthLateProb(cu, usd, inv.Disputed, g.lateness))
		invs[i] = inv
	}
	return invs
}

func synthPayment(r *rand.Rand, inv triage.Invoice, pLate float64) *time.Time {
	var days int
	switch {
	case r.Float64() >= pLate:
		days = r.IntN(36) - 10 // on time: up to 10 days early, 25 late
	case r.Float64() < 0.2:
		return nil // never paid
	default:
		days = 31 + r.IntN(60)
	}
	t := inv.DueAt.AddDate(0, 0, days)
	if t.Before(inv.IssuedAt) {
		t = inv.IssuedAt
	}
	return &t
}

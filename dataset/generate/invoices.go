package generate

import (
	"fmt"
	"slices"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// tierInvoiceWeight: bigger customers buy more products and get more
// invoices.
var tierInvoiceWeight = [...]float64{1, 2.5, 4}

// addInvoices spreads cfg.Invoices over customers and the window. Payment is
// settled later, once disputes are known.
func (w *world) addInvoices(r *rng) {
	ws := make([]float64, len(w.customers))
	for i, cu := range w.customers {
		ws[i] = tierInvoiceWeight[cu.tier]
	}
	s := newSampler(ws)
	type owned struct {
		inv  triage.Invoice
		cust *customer
	}
	all := make([]owned, w.cfg.Invoices)
	for i := range all {
		cu := w.customers[s.draw(r)]
		all[i] = owned{newInvoice(r, cu, w.cfg.Start.AddDate(0, 0, r.IntN(w.cfg.Days))), cu}
	}
	// Stable, so ties keep draw order and the result stays deterministic.
	slices.SortStableFunc(all, func(a, b owned) int { return a.inv.IssuedAt.Compare(b.inv.IssuedAt) })
	w.invoices = make([]triage.Invoice, len(all))
	w.invCust = make([]*customer, len(all))
	w.custInvoices = make([][]int, len(w.customers))
	for i, o := range all {
		o.inv.InvoiceID = fmt.Sprintf("INV-%d", 10001+i)
		w.invoices[i], w.invCust[i] = o.inv, o.cust
		w.custInvoices[o.cust.idx] = append(w.custInvoices[o.cust.idx], i)
	}
}

func newInvoice(r *rng, cu *customer, issued time.Time) triage.Invoice {
	cur := cu.country.currency
	extra := map[string]string{"plan": cu.plan}
	if cu.po != "" {
		extra["po_number"] = cu.po
	}
	return triage.Invoice{
		CustomerID: cu.id,
		IssuedAt:   issued,
		DueAt:      issued.AddDate(0, 0, cu.terms),
		Amount:     roundMoney(cu.baseUSD*r.logNormal(1, 0.35)*fxPerUSD[cur], cur),
		Currency:   cur,
		Region:     cu.country.region,
		Extra:      extra,
	}
}

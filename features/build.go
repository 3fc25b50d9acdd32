package features

import (
	"math"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// Build computes the row of inv as seen at time at. history may hold any
// invoices: only the customer's others issued strictly before at are used,
// each in its state at at (see the package doc). openExceptions is the
// number of open exceptions on the customer at at.
func Build(inv triage.Invoice, history []triage.Invoice, openExceptions int, at time.Time, opts Options) []float64 {
	row := invoiceRow(&inv, openExceptions, opts)
	h := historyAt(&inv, history, at, opts)
	h.put(row, at)
	return row
}

// historyAt sums the customer's past invoices one by one; BuildAll gets the
// same sums with a sweep. inv itself is skipped by id, since at may be long
// after its issue date.
func historyAt(inv *triage.Invoice, all []triage.Invoice, at time.Time, opts Options) history {
	var h history
	grace := opts.grace()
	for i := range all {
		p := &all[i]
		if p.CustomerID != inv.CustomerID || (inv.InvoiceID != "" && p.InvoiceID == inv.InvoiceID) || !p.IssuedAt.Before(at) {
			continue
		}
		h.addIssued(p, opts)
		switch {
		case settledAt(p, at):
			h.addSettled(p, grace)
		case overdueAt(p, at, grace):
			h.addOverdue(p, 1)
		}
	}
	return h
}

// invoiceRow fills the columns that depend on the invoice alone.
func invoiceRow(inv *triage.Invoice, openExceptions int, opts Options) []float64 {
	row := make([]float64, NumFeatures)
	usd := opts.usd(inv.Amount, inv.Currency)
	row[colAmountUSD] = usd
	row[colLogAmountUSD] = math.Log1p(usd)
	row[colCreditNote] = flag(inv.Amount < 0)
	row[colTermsDays] = inv.DueAt.Sub(inv.IssuedAt).Hours() / 24
	row[colDisputed] = flag(inv.Disputed)
	row[colOpenExceptions] = float64(max(openExceptions, 0))
	row[colRegion+oneHot(regions[:], inv.Region)] = 1
	row[colCurrency+oneHot(currencies[:], inv.Currency)] = 1
	return row
}

func flag(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

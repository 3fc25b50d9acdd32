package generate

import (
	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/triage"
)

// Generate builds a synthetic, labelled billing-exception history: records
// sorted by occurred_at then id, and invoices sorted by issued_at then id.
// Every record carries a resolution. The same Config always yields the same
// output, byte for byte once written with dataset.WriteRecords and
// dataset.WriteInvoices; nothing depends on the clock or on map order.
func Generate(cfg Config) (recs []dataset.Record, invs []triage.Invoice, err error) {
	w, err := build(cfg)
	if err != nil {
		return nil, nil, err
	}
	recs = make([]dataset.Record, len(w.drafts))
	for i := range w.drafts {
		recs[i] = w.drafts[i].rec
	}
	return recs, w.invoices, nil
}

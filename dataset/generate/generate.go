package generate

import (
	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/triage"
)

// Generate builds a synthetic, labelled billing-exception history: records
// sorted by occurred_at then id, and invoices sorted by issued_at then id.
// Every record carries a resolution unless Config.Open leaves it open.
// The same Config always yields the same
// output, byte for byte once written with dataset.WriteRecords and
// dataset.WriteInvoices; nothing depends on the clock or on map order.
func Generate(cfg Config) (recs []dataset.Record, invs []triage.Invoice, err error) {
	recs, invs, _, err = GenerateWithTruth(cfg)
	return recs, invs, err
}

// Truth is what the generator knows of a record beyond its label: whether
// its text hides the cause and whether its label was replaced by a sibling
// cause. Benchmarks use it to measure behaviour on vague texts; the service
// never sees it.
type Truth struct {
	ID    string
	Vague bool
	Noisy bool
}

// GenerateWithTruth is Generate that also returns each record's Truth, in
// record order.
func GenerateWithTruth(cfg Config) (recs []dataset.Record, invs []triage.Invoice, truth []Truth, err error) {
	w, err := build(cfg)
	if err != nil {
		return nil, nil, nil, err
	}
	recs = make([]dataset.Record, len(w.drafts))
	truth = make([]Truth, len(w.drafts))
	for i, d := range w.drafts {
		recs[i] = d.rec
		truth[i] = Truth{ID: d.rec.ID, Vague: d.vague, Noisy: d.noisy}
	}
	return recs, w.invoices, truth, nil
}

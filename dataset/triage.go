package dataset

import (
	"time"

	"github.com/billtriage/billtriage/triage"
)

// Exception converts a record to the domain exception it describes. The
// record's id becomes the external id, so loading the same file twice is
// idempotent.
func (r Record) Exception() triage.Exception {
	return triage.Exception{Source: r.Source, ExternalID: r.ID, Type: triage.Type(r.Type), OccurredAt: r.OccurredAt,
		Text: r.Text, CustomerID: r.CustomerID, InvoiceID: r.InvoiceID, Amount: r.Amount, Currency: r.Currency,
		Region: r.Region, Attributes: r.Attributes}
}

// HistoryResolution converts a labelled record to a history row. A record
// without resolved_at counts as resolved when it occurred. It returns false
// for an unlabelled record.
func (r Record) HistoryResolution() (triage.Resolution, bool) {
	if r.Resolution == nil {
		return triage.Resolution{}, false
	}
	ex := r.Exception()
	facts := ex.Facts()
	resolved := r.OccurredAt
	if r.Resolution.ResolvedAt != nil {
		resolved = *r.Resolution.ResolvedAt
	}
	return triage.Resolution{ExternalID: r.ID, Type: triage.Type(r.Type), Text: r.Text, RootCause: r.Resolution.RootCause,
		Action: r.Resolution.Action, Params: r.Resolution.Params, Queue: triage.Queue(r.Resolution.Queue),
		Verdict: triage.VerdictImported, ResolvedBy: "import", OccurredAt: r.OccurredAt, ResolvedAt: resolved.UTC(),
		Attributes: r.Attributes, Facts: &facts}, true
}

// ResolvedAt returns when the record was resolved, or when it occurred if
// it carries no resolution time.
func (r Record) ResolvedAt() time.Time {
	if r.Resolution != nil && r.Resolution.ResolvedAt != nil {
		return *r.Resolution.ResolvedAt
	}
	return r.OccurredAt
}

package triage

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// PostingStatus is what the ERP answered when an invoice was posted.
type PostingStatus string

// Posting outcomes.
const (
	PostingPosted PostingStatus = "posted"
	PostingFailed PostingStatus = "failed"
)

// PostingSource is the source of the exceptions failed postings raise; with
// the posting id as their id, a posting reported twice raises one.
const PostingSource = "erp-posting"

// Posting is the outcome of posting one invoice to the ERP, as the
// integration that posted it reports it.
type Posting struct {
	ID         string        `json:"posting_id"`
	InvoiceID  string        `json:"invoice_id"`
	CustomerID string        `json:"customer_id,omitempty"`
	Status     PostingStatus `json:"status"`
	// Error is the ERP's own error text; a failure must carry it, since
	// it is what the finance team triages.
	Error    string   `json:"error,omitempty"`
	Amount   *float64 `json:"amount,omitempty"`
	Currency string   `json:"currency,omitempty"`
	// ERP names the system posted to (netsuite, sap, dynamics).
	ERP        string    `json:"erp,omitempty"`
	OccurredAt time.Time `json:"occurred_at"`
}

// PostingReport is the answer to a reported posting: the posting as
// recorded and, for a failure, the exception it raised.
type PostingReport struct {
	Posting    Posting     `json:"posting"`
	Submission *Submission `json:"submission,omitempty"`
}

// PostingStore keeps the latest outcome of every posting, so the failed
// share of postings is measured on real outcomes, not on exceptions.
type PostingStore interface {
	// RecordPosting stores p's outcome under its id, with the exception
	// a failure raised (0 for none). An outcome older than the one
	// stored does not replace it: reports may arrive out of order.
	RecordPosting(ctx context.Context, p Posting, exceptionID int64) error
}

// ReportPosting records the outcome of an ERP posting, if p is an
// integration or an admin. A failure also raises an erp_posting_failure
// exception through Submit, under PostingSource and the posting id, so a
// repeat of the report is answered with the exception raised first. The
// repeat is answered in full even to an integration, which sees no queue:
// the exception is the one its own report raised, and a different record
// under the same posting id is refused (409) as Submit refuses it.
func (s *Service) ReportPosting(ctx context.Context, p Principal, po Posting) (PostingReport, error) {
	if !p.CanReportPostings() {
		return PostingReport{}, Authorize(false, p, "report postings")
	}
	if s.postings == nil {
		return PostingReport{}, Errorf(EUNAVAILABLE, "no posting store is configured")
	}
	if po.OccurredAt.IsZero() {
		po.OccurredAt = s.now().UTC()
	}
	if err := po.Validate(); err != nil {
		return PostingReport{}, err
	}
	rep := PostingReport{Posting: po}
	var exceptionID int64
	if po.Status == PostingFailed {
		sub, err := s.raise(ctx, p, po)
		if err != nil {
			return PostingReport{}, err
		}
		rep.Submission, exceptionID = &sub, sub.Exception.ID
	}
	if err := s.postings.RecordPosting(ctx, po, exceptionID); err != nil {
		return rep, err
	}
	if po.Status == PostingFailed {
		// A failure may be the verdict on an earlier automatic fix of
		// the same invoice.
		s.afterVerdict(ctx, ERPPostingFailure)
	}
	return rep, nil
}

// raise submits the exception of a failed posting. It goes through the
// checks and idempotency of every submission but the refusal of a hidden
// repeat (see ReportPosting).
func (s *Service) raise(ctx context.Context, p Principal, po Posting) (Submission, error) {
	subs, err := s.submit(ctx, p, []Exception{po.exception()})
	if err != nil {
		return Submission{}, postingField(err)
	}
	return subs[0], nil
}

// exception is the erp_posting_failure a failed posting raises: the ERP's
// error text with the invoice it was about, as the history's ERP failures
// read, so precedents match.
func (po Posting) exception() Exception {
	erp := po.ERP
	if erp == "" {
		erp = "ERP"
	}
	ex := Exception{Source: PostingSource, ExternalID: po.ID, Type: ERPPostingFailure, OccurredAt: po.OccurredAt,
		Text:       fmt.Sprintf("%s posting failed for invoice %s: %s", erp, po.InvoiceID, po.Error),
		CustomerID: po.CustomerID, InvoiceID: po.InvoiceID, Amount: po.Amount, Currency: po.Currency,
		Attributes: map[string]any{"posting_id": po.ID}}
	if po.ERP != "" {
		ex.Attributes["erp"] = po.ERP
	}
	return ex
}

// Validate checks a reported posting and names the first bad field, with
// the limits an exception's fields have, since a failure becomes one.
func (po Posting) Validate() error {
	for _, f := range []struct{ name, value string }{{"posting_id", po.ID}, {"invoice_id", po.InvoiceID}} {
		if strings.TrimSpace(f.value) == "" {
			return Invalid(f.name, "is required")
		}
	}
	for _, f := range []struct{ name, value string }{{"posting_id", po.ID}, {"invoice_id", po.InvoiceID},
		{"customer_id", po.CustomerID}, {"erp", po.ERP}} {
		if err := checkString(f.name, f.value, MaxIDBytes); err != nil {
			return err
		}
	}
	return po.validateOutcome()
}

// validateOutcome checks the status, the error a failure carries, the
// money and the time.
func (po Posting) validateOutcome() error {
	switch {
	case po.Status != PostingPosted && po.Status != PostingFailed:
		return Invalid("status", "must be posted or failed, not %q", po.Status)
	case po.Status == PostingFailed && strings.TrimSpace(po.Error) == "":
		return Invalid("error", "is required when status is failed: it is the ERP's error text")
	case po.Amount != nil && !PlausibleAmount(*po.Amount):
		return Invalid("amount", "must be a finite number between -%g and %g", MaxAmount, MaxAmount)
	case po.Currency != "" && !ValidCurrency(po.Currency):
		return Invalid("currency", "must be an active ISO 4217 currency code such as USD or EUR")
	case !PlausibleTime(po.OccurredAt, time.Now()):
		return Invalid("occurred_at", "must lie between %s and a year from now", EarliestOccurredAt.Format(time.DateOnly))
	}
	return checkString("error", po.Error, MaxPostingErrorBytes)
}

// MaxPostingErrorBytes bounds a posting's error text: an ERP's message is
// a line or two, and with the invoice and ERP names it must fit an
// exception's text.
const MaxPostingErrorBytes = 64 << 10

// postingField names a refused exception's field as the posting names it:
// the exception's id is the posting id.
func postingField(err error) error {
	e, ok := err.(*Error)
	if !ok || e.Field != "id" {
		return err
	}
	c := *e
	c.Field = "posting_id"
	return &c
}

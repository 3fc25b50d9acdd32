package triage

import (
	"fmt"
	"strings"
	"time"
)

// Draft is an invoice before release, as the billing system would post it:
// the pre-release control checks (CheckDraft) read it against the history.
type Draft struct {
	// ID names the draft in the billing system; with the check it keys
	// the exception a finding raises, so a retry raises nothing new.
	ID         string `json:"draft_id"`
	CustomerID string `json:"customer_id"`
	// AccountKey is the usage or billing account the draft was rated
	// under, "" when none.
	AccountKey string `json:"account_key,omitempty"`
	InvoiceID  string `json:"invoice_id,omitempty"`
	// Entity is the legal entity (ERP subsidiary, company code) it posts
	// to.
	Entity   string `json:"entity"`
	Currency string `json:"currency"`
	Region   string `json:"region,omitempty"`
	// TaxCode is the tax jurisdiction applied (US-NY, DE).
	TaxCode string `json:"tax_code,omitempty"`
	// Period is the accounting period it posts into, YYYY-MM.
	Period string `json:"period"`
	// PostingDate is when it will be posted; the check's clock when zero.
	PostingDate time.Time   `json:"posting_date,omitzero"`
	Lines       []DraftLine `json:"lines"`
}

// DraftLine is one revenue line of a draft.
type DraftLine struct {
	SKU    string   `json:"sku"`
	Amount *float64 `json:"amount,omitempty"`
	// GLAccount is the revenue account assigned, "" when left to the ERP.
	GLAccount    string `json:"gl_account,omitempty"`
	PriceBook    string `json:"price_book,omitempty"`
	Subscription string `json:"subscription,omitempty"`
}

// Limits of a check request, enforced by Draft.Validate and CheckInvoices.
const (
	// MaxDrafts bounds one request's drafts: each is checked against the
	// whole learned history and may raise exceptions.
	MaxDrafts = 100
	// MaxDraftLines bounds a draft's lines.
	MaxDraftLines = 200
)

// periodLayout is how a period is written.
const periodLayout = "2006-01"

// ParsePeriod reads a YYYY-MM period as its first instant (UTC).
func ParsePeriod(s string) (time.Time, error) {
	return time.Parse(periodLayout, s)
}

// Validate checks a draft and names the first bad field.
func (d *Draft) Validate() error {
	for _, f := range []struct{ name, v string }{{"draft_id", d.ID}, {"customer_id", d.CustomerID},
		{"entity", d.Entity}, {"currency", d.Currency}, {"period", d.Period}} {
		if strings.TrimSpace(f.v) == "" {
			return Invalid(f.name, "is required")
		}
	}
	for _, f := range []struct{ name, v string }{{"draft_id", d.ID}, {"customer_id", d.CustomerID},
		{"account_key", d.AccountKey}, {"invoice_id", d.InvoiceID}, {"entity", d.Entity}, {"region", d.Region},
		{"tax_code", d.TaxCode}} {
		if err := checkString(f.name, f.v, MaxIDBytes); err != nil {
			return err
		}
	}
	if !ValidCurrency(d.Currency) {
		return Invalid("currency", "must be an active ISO 4217 currency code such as USD or EUR")
	}
	if _, err := ParsePeriod(d.Period); err != nil {
		return Invalid("period", "must be a month written YYYY-MM, not %q", d.Period)
	}
	if !d.PostingDate.IsZero() && !PlausibleTime(d.PostingDate, time.Now()) {
		return Invalid("posting_date", "must lie between %s and a year from now", EarliestOccurredAt.Format(time.DateOnly))
	}
	return d.validateLines()
}

func (d *Draft) validateLines() error {
	switch {
	case len(d.Lines) == 0:
		return Invalid("lines", "must hold at least one line")
	case len(d.Lines) > MaxDraftLines:
		return Invalid("lines", "has %d lines, more than %d", len(d.Lines), MaxDraftLines)
	}
	for i, l := range d.Lines {
		at := func(f string) string { return fmt.Sprintf("lines[%d].%s", i, f) }
		if strings.TrimSpace(l.SKU) == "" {
			return Invalid(at("sku"), "is required")
		}
		for _, f := range []struct{ name, v string }{{"sku", l.SKU}, {"gl_account", l.GLAccount},
			{"price_book", l.PriceBook}, {"subscription", l.Subscription}} {
			if err := checkString(at(f.name), f.v, MaxIDBytes); err != nil {
				return err
			}
		}
		if l.Amount != nil && !PlausibleAmount(*l.Amount) {
			return Invalid(at("amount"), "must be a finite number between -%g and %g", MaxAmount, MaxAmount)
		}
	}
	return nil
}

// Total is the sum of the lines' amounts, nil when none has one.
func (d *Draft) Total() *float64 {
	var sum float64
	some := false
	for _, l := range d.Lines {
		if l.Amount != nil {
			sum, some = sum+*l.Amount, true
		}
	}
	if !some {
		return nil
	}
	return &sum
}

// NameDraft names draft i of a batch in err's field: drafts[i].field.
func NameDraft(err error, i int) error {
	e, ok := err.(*Error)
	if !ok {
		return err
	}
	c := *e
	c.Field = fmt.Sprintf("drafts[%d]", i)
	if e.Field != "" {
		c.Field += "." + e.Field
	}
	return &c
}

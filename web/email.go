package web

import (
	"strings"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// originalAttr keeps a pasted email as it was pasted: the exception's text
// is only the customer's new words, and a reviewer may need the rest.
const originalAttr = "email_original"

// emailView is a parsed email as the pages show it, every part plain text.
type emailView struct {
	From, Subject, Date                 string
	Body, Quoted, Signature, Disclaimer string
	Format                              string
	InvoiceIDs, Amounts, Dates          []string

	// What a submitted dispute takes from the email: the text to match
	// on, the first amount it names, and when it was sent.
	text     string
	amount   *float64
	currency string
	sent     *time.Time
}

// emailOf returns the email behind a dispute: the original paste when the
// UI stored one, else the text itself (the inbox integration submits
// whole messages).
func emailOf(ex triage.Exception) *emailView {
	if raw, ok := ex.Attributes[originalAttr].(string); ok && raw != "" {
		return parseEmail(raw, ex.CreatedAt)
	}
	if ex.Type == triage.BillingDispute {
		return parseEmail(ex.Text, ex.CreatedAt)
	}
	return nil
}

// apply fills an exception from the email: its own text to match on, the
// first invoice and amount it names, when it was sent, and the original
// paste.
func (v *emailView) apply(ex *triage.Exception, now time.Time) {
	raw := ex.Text
	if t := strings.TrimSpace(v.text); t != "" {
		ex.Text = t
	}
	if len(v.InvoiceIDs) > 0 && ex.InvoiceID == "" {
		ex.InvoiceID = v.InvoiceIDs[0]
	}
	if v.amount != nil {
		ex.Amount, ex.Currency = v.amount, v.currency
	}
	if v.sent != nil && v.sent.Before(now) {
		ex.OccurredAt = v.sent.UTC()
	}
	ex.Attributes = map[string]any{originalAttr: raw}
}

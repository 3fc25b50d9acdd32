package api

import (
	"github.com/billtriage/billtriage/disputes"
	"github.com/billtriage/billtriage/triage"
)

// emailView is a parsed email as the pages show it, every part plain text.
type emailView struct {
	From, Subject, Date                 string
	Body, Quoted, Signature, Disclaimer string
	Format                              string
	InvoiceIDs, Amounts, Dates          []string
}

// emailOf returns the email behind a dispute: the original paste when the
// UI stored one, else the text itself (the inbox integration submits
// whole messages).
func emailOf(ex triage.Exception) *emailView {
	if raw, ok := ex.Attributes[disputes.OriginalAttr].(string); ok && raw != "" {
		return parseEmail(raw, ex.CreatedAt)
	}
	if ex.Type == triage.BillingDispute {
		return parseEmail(ex.Text, ex.CreatedAt)
	}
	return nil
}

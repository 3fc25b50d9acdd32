package api

import (
	"time"

	"github.com/billtriage/billtriage/disputes/email"
)

// parseEmail parses raw with the disputes parser, reading dates without a
// year as of at; nil when it cannot be parsed (it is too large), and the
// page then shows the text as it is.
func parseEmail(raw string, at time.Time) *emailView {
	e, err := email.ParseAt([]byte(raw), at)
	if err != nil || e == nil {
		return nil
	}
	v := &emailView{Subject: e.Subject, Body: e.Body, Quoted: e.Quoted, Signature: e.Signature,
		Disclaimer: e.Disclaimer, Format: e.Format, InvoiceIDs: e.InvoiceIDs}
	v.From = address(e.From)
	if e.Date != nil {
		v.Date = when(*e.Date)
	}
	for _, a := range e.Amounts {
		v.Amounts = append(v.Amounts, a.Text)
	}
	for _, d := range e.Dates {
		v.Dates = append(v.Dates, d.Format("2006-01-02"))
	}
	return v
}

// address formats a mailbox as "Name <address>".
func address(a email.Address) string {
	switch {
	case a.Name == "":
		return a.Address
	case a.Address == "":
		return a.Name
	}
	return a.Name + " <" + a.Address + ">"
}

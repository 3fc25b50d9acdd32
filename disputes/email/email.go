package email

import (
	"strings"
	"time"
)

// Email is a parsed dispute e-mail: its headers when the paste had any, the
// new text the customer wrote, the parts stripped from it, and the billing
// facts mentioned.
type Email struct {
	// From is the sender, empty when the paste had no headers.
	From Address `json:"from"`
	// To lists the recipients, without Cc.
	To []Address `json:"to"`
	// Subject is the decoded subject line, "Re:" prefixes included.
	Subject string `json:"subject"`
	// Date is when the message was sent, nil when unknown.
	Date *time.Time `json:"date"`

	// Body is the new text the customer wrote: quoted history, signature
	// and disclaimer removed, HTML turned into text. Lines are separated by
	// "\n", paragraphs by one blank line, with none at either end.
	Body string `json:"body"`
	// Quoted is the quoted history removed from Body.
	Quoted string `json:"quoted"`
	// Signature is the sign-off and signature block removed from Body.
	Signature string `json:"signature"`
	// Disclaimer is the legal notice removed from Body.
	Disclaimer string `json:"disclaimer"`
	// Format names the outermost form of the paste: "eml" (a message with
	// headers), "mime" (a MIME entity or multipart body without message
	// headers), "html" or "plain" (pasted text, with or without pasted
	// header lines such as Outlook's From/Sent/To/Subject).
	Format string `json:"format"`

	// InvoiceIDs are the invoice numbers mentioned, each written "INV-"
	// followed by upper-case letters and digits in dash-separated groups
	// (INV-2041, INV-2024-0041), de-duplicated, in order of appearance in
	// the subject, the body and then the quoted history.
	InvoiceIDs []string `json:"invoice_ids"`
	// Amounts are the sums of money in the subject and body, in order,
	// repeats kept.
	Amounts []Amount `json:"amounts"`
	// Dates are the calendar days mentioned in the subject and body, as
	// midnight UTC, de-duplicated, in order of appearance. A date without
	// a year takes the year of Date (or of the clock when Date is nil); a
	// month without a day ("in March", "March 2025") stands for its first
	// day; 03/04/2025 is read as March 4 unless the first field is over 12,
	// and 03.04.2025 as 3 April.
	Dates []time.Time `json:"dates"`
	// Emails are the other addresses mentioned in the subject and body,
	// lower-cased and de-duplicated; the sender and recipients are left out.
	Emails []string `json:"emails"`
}

// Address is a mailbox: a display name and an address, either possibly
// empty.
type Address struct {
	Name    string `json:"name"`
	Address string `json:"address"`
}

// Domain returns the lower-cased domain of the address, "" when it has none.
func (a Address) Domain() string {
	at := strings.LastIndexByte(a.Address, '@')
	if at < 0 {
		return ""
	}
	return strings.ToLower(a.Address[at+1:])
}

// Text returns the text to embed or classify: the subject without its
// reply and forward prefixes, a blank line, then the body. Quoted history,
// signature and disclaimer are left out because they describe other
// messages and people, not this dispute.
func (e *Email) Text() string {
	subject := stripReplyPrefixes(e.Subject)
	switch {
	case subject == "":
		return e.Body
	case e.Body == "":
		return subject
	}
	return subject + "\n\n" + e.Body
}

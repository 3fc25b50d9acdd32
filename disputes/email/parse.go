package email

import (
	"fmt"
	"strings"
	"time"
)

// Parse parses a pasted dispute e-mail: a raw .eml message, a MIME entity,
// HTML, or plain text with or without pasted header lines. Input over
// MaxBytes fails with an error wrapping ErrTooLarge; anything else parses,
// as well as it can, without error. Dates without a year take the year of
// the message's date, or of the current time when it has none.
func Parse(raw []byte) (*Email, error) {
	return ParseAt(raw, time.Now())
}

// ParseAt is Parse with the current time given, for callers that replay
// old e-mails and for tests: now only supplies the year of year-less dates
// when the message has no date of its own.
func ParseAt(raw []byte, now time.Time) (*Email, error) {
	e, err := parseParts(raw, now.Year())
	if err != nil {
		return nil, err
	}
	e.extract(now.Year())
	return e, nil
}

// BodyText returns what Parse(raw) would return as Text(), the subject
// and the body without quotes, disclaimer or signature, without looking
// for the invoices, amounts, dates and addresses mentioned: that search is
// a third of Parse's time and of no use to a caller who only wants the
// text, such as a load preparing a million history rows to embed.
func BodyText(raw []byte) (string, error) {
	e, err := parseParts(raw, time.Now().Year())
	if err != nil {
		return "", err
	}
	return e.Text(), nil
}

// parseParts reads the headers and splits the body, up to the extraction
// of mentioned facts.
func parseParts(raw []byte, year int) (*Email, error) {
	if len(raw) > MaxBytes {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(raw), MaxBytes)
	}
	e := &Email{}
	c := e.readSource(trimStart(raw), year)
	text := c.text
	if c.html {
		text = htmlToText(text)
	}
	e.split(cleanText(text))
	return e, nil
}

// readSource detects the format, fills the header fields it carries and
// returns the content to read the body from.
func (e *Email) readSource(data []byte, refYear int) content {
	if h, body, kind, ok := readMessage(data); ok {
		e.Format = kind
		if kind == "eml" {
			e.setHeaders(h, refYear)
		}
		c, _ := (&walker{}).entity(h, body, 0)
		return c
	}
	if c, ok := bareMultipart(data); ok {
		e.Format = "mime"
		return c
	}
	text := decodeCharset(data, "")
	if fields, rest, ok := pastedHeaders(text); ok {
		e.setPasted(fields, refYear)
		text = rest
	}
	c := content{text: text, html: looksLikeHTML(text)}
	e.Format = "plain"
	if c.html {
		e.Format = "html"
	}
	return c
}

// split separates text into body, quoted history, disclaimer and
// signature, in that order: history goes first because its own
// signatures and disclaimers belong to it.
func (e *Email) split(text string) {
	lines := strings.Split(text, "\n")
	body, quoted := splitQuoted(lines)
	body, disclaimer := splitDisclaimer(body)
	body, sig := splitSignature(body)
	e.Body, e.Quoted = joinLines(body), joinLines(quoted)
	e.Disclaimer, e.Signature = joinLines(disclaimer), joinLines(sig)
}

// extract fills the mentioned facts from the subject and body. Invoice ids
// are also taken from the quoted history, after those of the body, since a
// customer often replies "this is wrong" to the invoice e-mail itself.
func (e *Email) extract(nowYear int) {
	year := nowYear
	if e.Date != nil {
		year = e.Date.Year()
	}
	text := e.Subject + "\n" + e.Body
	e.InvoiceIDs = extractInvoiceIDs(e.Subject, e.Body, e.Quoted)
	e.Amounts = extractAmounts(text)
	e.Dates = extractDates(text, year)
	e.Emails = extractAddresses(text, append([]Address{e.From}, e.To...))
}

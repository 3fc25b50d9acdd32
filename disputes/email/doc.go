// Package email parses the dispute e-mails support agents paste into
// billtriage: a raw .eml message, a MIME entity, HTML copied from a mail
// client, or plain text with or without Outlook-style header lines.
//
// Parse returns an Email with the envelope (sender, recipients, subject,
// date) when the paste carries one, the new text the customer wrote, the
// parts stripped from it (quoted history, signature, legal disclaimer), and
// the billing facts mentioned: invoice numbers, amounts of money, dates and
// other e-mail addresses. Email.Text is the text to embed or classify.
// Redact removes the personal data from such text before it leaves the
// process.
//
// The package is the parsing half of dispute intake: it knows e-mail and
// the standard library only, so the intake (package email), the web UI
// and the text preparation all read e-mails the same way.
//
// # Input
//
// Messages are decoded as mail clients write them: RFC 2047 encoded words,
// quoted-printable and base64 transfer encodings, and the charsets UTF-8,
// UTF-16, ISO-8859-1, ISO-8859-15 and windows-1252; text without a usable
// label is kept if it is valid UTF-8 and otherwise read as windows-1252. Of
// a multipart/alternative the text/plain part is preferred and the
// text/html part used when there is no plain text. Attachments are
// ignored.
//
// # Limits
//
// Input over MaxBytes is refused with ErrTooLarge. Within it every input
// parses, without panicking and in time linear in its size: nested
// multiparts are followed five levels deep and at most 100 parts are read,
// HTML is converted in a single pass without building a tree, numbers and
// numeric dates are found by hand-written scanners, regular expressions
// (linear in Go) run on single lines, on small windows around keywords or
// at most once over the text, and at most 100 of each kind of fact are
// kept.
//
// # Heuristics
//
// Quoted history, signatures and disclaimers are found by the patterns
// mail clients produce, in English and the common European languages; see
// splitQuoted, splitSignature and splitDisclaimer. Extraction favours
// precision: a number is an amount only next to a currency, a bare number
// after "invoice" needs three digits to be an invoice id, and a month name
// without a day is a date only after a preposition ("in March").
package email

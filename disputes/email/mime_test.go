package email_test

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"unicode/utf16"
)

// eml builds a minimal message around a MIME entity (its headers and body).
func eml(entity string) string {
	return "From: Jo <jo@x.example>\nTo: billing@acme.example\nSubject: s\nDate: Mon, 03 Mar 2025 10:00:00 +0000\nMIME-Version: 1.0\n" + entity
}

func utf16LEBase64(s string) string {
	b := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return base64.StdEncoding.EncodeToString(b)
}

func TestCharsets(t *testing.T) {
	for _, tc := range []struct {
		name, raw, body string
	}{
		{"latin-1 quoted-printable", eml("Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\nMontant d=FB : 49,99 =80 =\ncontest=E9"), "Montant dû : 49,99 € contesté"},
		{"windows-1252 8bit", eml("Content-Type: text/plain; charset=windows-1252\nContent-Transfer-Encoding: 8bit\n\n\x93quoted\x94 \x96 dash \x85"), "“quoted” – dash …"},
		{"iso-8859-15", eml("Content-Type: text/plain; charset=ISO-8859-15\n\n\xa4 5"), "€ 5"},
		{"utf-16 base64", eml("Content-Type: text/plain; charset=utf-16\nContent-Transfer-Encoding: base64\n\n" + utf16LEBase64("Grüße €")), "Grüße €"},
		{"unknown charset guessed", eml("Content-Type: text/plain; charset=x-mystery\n\ncaf\xe9"), "café"},
		{"invalid utf-8 replaced", eml("Content-Type: text/plain; charset=utf-8\n\nbad \xff byte"), "bad \uFFFD byte"},
		{"unlabelled 8-bit paste", "Le montant d\xfb est 10 \x80", "Le montant dû est 10 €"},
		{"controls and NUL dropped", "a\x00b\x1bc\r\nd\re", "abc\nd\ne"},
		{"base64 with junk", eml("Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\n" + "SGVs*bG8g\nd29y!bGQ=\n="), "Hello world"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkEqual(t, "Body", parse(t, tc.raw).Body, tc.body)
		})
	}
}

func TestHeaderDecoding(t *testing.T) {
	for _, tc := range []struct {
		name, header, subject, fromName string
	}{
		{"latin-1 encoded word", "Subject: =?iso-8859-1?Q?Facture_impay=E9e?=\nFrom: =?ISO-8859-1?Q?Ren=E9?= <r@x.example>", "Facture impayée", "René"},
		{"windows-1252 encoded word", "Subject: =?windows-1252?Q?=93Refund=94?=\nFrom: r@x.example", "“Refund”", ""},
		{"raw 8-bit header", "Subject: Facture impay\xe9e\nFrom: Ren\xe9 <r@x.example>", "Facture impayée", "René"},
		{"folded subject", "Subject: Double\n charge\nFrom: \"Doe, Jo\" <j@x.example>", "Double charge", "Doe, Jo"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := parse(t, tc.header+"\nDate: Mon, 03 Mar 2025 10:00:00 +0000\n\nbody")
			checkEqual(t, "Subject", e.Subject, tc.subject)
			checkEqual(t, "From.Name", e.From.Name, tc.fromName)
		})
	}
}

// nested wraps a text/plain part in depth multipart/mixed levels.
func nested(depth int, text string) string {
	entity := "Content-Type: text/plain\n\n" + text
	for i := depth; i > 0; i-- {
		b := fmt.Sprintf("b%d", i)
		entity = "Content-Type: multipart/mixed; boundary=" + b + "\n\n--" + b + "\n" + entity + "\n--" + b + "--\n"
	}
	return entity
}

func TestMIMEStructure(t *testing.T) {
	parts := "Content-Type: multipart/mixed; boundary=p\n\n"
	for i := range 150 {
		parts += fmt.Sprintf("--p\nContent-Type: text/plain\n\npart %d\n", i)
	}
	for _, tc := range []struct {
		name, raw, body string
	}{
		{"nesting within the limit", eml(nested(4, "deep text")), "deep text"},
		{"nesting beyond the limit is cut", eml(nested(8, "too deep")), ""},
		{"attachments skipped", eml("Content-Type: multipart/mixed; boundary=m\n\n--m\nContent-Type: text/plain\n\nbody text\n--m\n" +
			"Content-Type: text/plain; name=log.txt\nContent-Disposition: attachment; filename=log.txt\n\nattached log\n--m--\n"), "body text"},
		{"html-only alternative converted", eml("Content-Type: multipart/alternative; boundary=a\n\n--a\nContent-Type: text/plain\n\n \n--a\n" +
			"Content-Type: text/html\n\n<p>from <b>html</b></p>\n--a--\n"), "from html"},
		{"plain and html parts of a mixed message joined", eml("Content-Type: multipart/mixed; boundary=m\n\n--m\nContent-Type: text/plain\n\nfirst\n--m\n" +
			"Content-Type: text/html\n\n<div>second</div>\n--m--\n"), "first\n\nsecond"},
		{"missing final boundary", eml("Content-Type: multipart/mixed; boundary=m\n\n--m\nContent-Type: text/plain\n\nunfinished"), "unfinished"},
		{"missing boundary parameter", eml("Content-Type: multipart/mixed\n\n--m\nContent-Type: text/plain\n\nlost\n--m--\n"), ""},
		{"parts beyond the limit ignored", eml(parts), strings.Join(partTexts(100), "\n\n")},
		{"bare multipart paste", "--xyz\nContent-Type: text/plain\n\npasted part\n--xyz--\n", "pasted part"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := parse(t, tc.raw)
			checkEqual(t, "Body", e.Body, tc.body)
			checkEmail(t, e)
		})
	}
}

func partTexts(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("part %d", i)
	}
	return out
}

func TestFormatDetection(t *testing.T) {
	for _, tc := range []struct {
		name, raw, format string
	}{
		{"plain", "Hi, INV-1 is wrong.", "plain"},
		{"plain starting with a colon line", "Note: INV-1 is wrong.\n\nThanks", "plain"},
		{"html", "<div>Hi</div>", "html"},
		{"eml", eml("Content-Type: text/plain\n\nHi"), "eml"},
		{"eml without MIME headers", "From: a@x.example\nDate: Mon, 03 Mar 2025 10:00:00 +0000\nSubject: s\n\nHi", "eml"},
		{"mime entity", "Content-Type: text/plain; charset=utf-8\n\nHi", "mime"},
		{"outlook paste", "From: Jo\nSent: Monday, March 3, 2025 9:00 AM\nTo: Billing\nSubject: s\n\nHi", "plain"},
		{"outlook paste of html", "From: Jo\nSent: Monday, March 3, 2025 9:00 AM\nSubject: s\n\n<p>Hi</p>", "html"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkEqual(t, "Format", parse(t, tc.raw).Format, tc.format)
		})
	}
}

func TestPasteWrappers(t *testing.T) {
	msg := eml("Content-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n\nd=C3=BB")
	for _, tc := range []struct {
		name, raw string
	}{
		{"leading blank lines", "\n\r\n  \n" + msg},
		{"byte order mark", "\xef\xbb\xbf" + msg},
		{"mbox From line", "From jo@x.example Mon Mar  3 10:00:00 2025\n" + msg},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := parse(t, tc.raw)
			checkEqual(t, "Format", e.Format, "eml")
			checkEqual(t, "Body", e.Body, "dû")
		})
	}
}

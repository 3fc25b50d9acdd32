package email_test

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/billtriage/billtriage/disputes/email"
)

// invoiceIDPattern is the normalised form Email.InvoiceIDs documents.
var invoiceIDPattern = regexp.MustCompile(`^INV-[0-9A-Z]+(?:-[0-9A-Z]+)*$`)

// currencyPattern is the ISO 4217 shape of Amount.Currency.
var currencyPattern = regexp.MustCompile(`^[A-Z]{3}$`)

var formats = map[string]bool{"plain": true, "html": true, "mime": true, "eml": true}

func FuzzParse(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.*"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no seed files: %v", err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, seed := range []string{
		"", ">", "<", "<a b='", "--", "-- \n", "From: a\nSent: b\n",
		"Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: multipart/mixed; boundary=x\n\n--x\n",
		"€1.2.3 $-5 1,20,0 USD INV- invoice # 30/02/2025 9999-99-99",
	} {
		f.Add([]byte(seed))
	}
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, raw []byte) {
		e, err := email.ParseAt(raw, now)
		if len(raw) > email.MaxBytes {
			if !errors.Is(err, email.ErrTooLarge) {
				t.Fatalf("input of %d bytes: err = %v, want ErrTooLarge", len(raw), err)
			}
			return
		}
		if err != nil {
			t.Fatalf("ParseAt() error = %v", err)
		}
		checkEmail(t, e)
		// BodyText skips the extraction, never the text.
		if text, err := email.BodyText(raw); err != nil || text != e.Text() {
			t.Fatalf("BodyText() = %q, %v; Parse gives Text() %q", text, err, e.Text())
		}
	})
}

// checkEmail asserts the invariants every parse result keeps.
func checkEmail(t *testing.T, e *email.Email) {
	t.Helper()
	for name, s := range map[string]string{
		"Body": e.Body, "Quoted": e.Quoted, "Signature": e.Signature, "Disclaimer": e.Disclaimer,
		"Subject": e.Subject, "From.Name": e.From.Name, "Text()": e.Text(),
	} {
		if !utf8.ValidString(s) {
			t.Errorf("%s is not valid UTF-8: %q", name, s)
		}
		if strings.ContainsRune(s, 0) {
			t.Errorf("%s contains NUL: %q", name, s)
		}
	}
	if !formats[e.Format] {
		t.Errorf("Format = %q", e.Format)
	}
	for _, id := range e.InvoiceIDs {
		if !invoiceIDPattern.MatchString(id) {
			t.Errorf("InvoiceID %q is not normalised", id)
		}
	}
	for _, a := range e.Amounts {
		if math.IsInf(a.Value, 0) || math.IsNaN(a.Value) || !currencyPattern.MatchString(a.Currency) || a.Text == "" {
			t.Errorf("bad amount %+v", a)
		}
	}
	for _, d := range e.Dates {
		if d.Location() != time.UTC || d.Hour() != 0 || d.Year() < 1900 || d.Year() > 2199 {
			t.Errorf("bad date %v", d)
		}
	}
	checkTexts(t, e)
}

// checkTexts asserts the shape of the text fields and that every amount
// quotes the text it came from.
func checkTexts(t *testing.T, e *email.Email) {
	t.Helper()
	for name, s := range map[string]string{"Body": e.Body, "Quoted": e.Quoted, "Signature": e.Signature, "Disclaimer": e.Disclaimer} {
		if strings.ContainsRune(s, '\r') || strings.HasPrefix(s, "\n") || strings.HasSuffix(s, "\n") {
			t.Errorf("%s has a CR or a blank line at an end: %q", name, s)
		}
	}
	if strings.ContainsAny(e.Subject, "\r\n") {
		t.Errorf("Subject has a line break: %q", e.Subject)
	}
	if !strings.Contains(e.Text(), e.Body) {
		t.Errorf("Text() %q does not contain Body %q", e.Text(), e.Body)
	}
	for _, a := range e.Amounts {
		if !strings.Contains(e.Subject+"\n"+e.Body, a.Text) {
			t.Errorf("amount text %q is not in the subject or body", a.Text)
		}
	}
	if len(e.InvoiceIDs) > 100 || len(e.Amounts) > 100 || len(e.Dates) > 100 || len(e.Emails) > 100 {
		t.Errorf("more than 100 facts of a kind")
	}
}

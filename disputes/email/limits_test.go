package email_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/billtriage/billtriage/disputes/email"
)

func TestSizeLimit(t *testing.T) {
	for _, tc := range []struct {
		name    string
		size    int
		wantErr bool
	}{
		{"empty", 0, false},
		{"at the limit", email.MaxBytes, false},
		{"one byte over", email.MaxBytes + 1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := email.ParseAt([]byte(strings.Repeat("a", tc.size)), testNow)
			if got := errors.Is(err, email.ErrTooLarge); got != tc.wantErr {
				t.Fatalf("ParseAt(%d bytes) error = %v, want ErrTooLarge: %v", tc.size, err, tc.wantErr)
			}
			if !tc.wantErr && (err != nil || e == nil) {
				t.Fatalf("ParseAt(%d bytes) = %v, %v", tc.size, e, err)
			}
		})
	}
}

// TestPathologicalInputs feeds inputs at the size limit that repeat one
// construct each stage handles specially; they must parse without error
// and keep the invariants. The fuzz target checks the same on random input.
func TestPathologicalInputs(t *testing.T) {
	for _, unit := range []string{
		"x\n", "\n", "> q\n", "1 ", "1,", "1 000 ", "$1 ", "a@b.example ", "INV-1 ", "invoice 123, ",
		"March 3 ", "in May ", "3/3/2025 ", "--\n", "Thanks,\n", "On x wrote:\n", "From: a\nTo: b\n",
		"________________________________\n", "\xff", "\u00e9", "=",
	} {
		t.Run(strings.TrimSpace(unit), func(t *testing.T) {
			e := parse(t, strings.Repeat(unit, email.MaxBytes/len(unit)))
			checkEmail(t, e)
		})
	}
}

func TestExtractionIsBounded(t *testing.T) {
	e := parse(t, strings.Repeat("INV-1 $1 a@b.example 2025-01-01 ", 1000)+strings.Repeat("x", 10))
	if len(e.Amounts) > 100 || len(e.InvoiceIDs) > 100 || len(e.Emails) > 100 || len(e.Dates) > 100 {
		t.Errorf("got %d amounts, %d ids, %d emails, %d dates; want at most 100 each",
			len(e.Amounts), len(e.InvoiceIDs), len(e.Emails), len(e.Dates))
	}
	if len(e.Amounts) != 100 {
		t.Errorf("got %d amounts, want the first 100", len(e.Amounts))
	}
}

// TestPathologicalHeaders fills one address or subject header up to the
// size limit with a construct the header parsers treat specially.
func TestPathologicalHeaders(t *testing.T) {
	for _, unit := range []string{"a@b.example, ", "(", "(a", "a@[", "\"", "=?windows-1252?q?=93?= ", "x <a@b>; ", "a@b.example,\n "} {
		for _, field := range []string{"To", "From", "Subject"} {
			t.Run(field+" "+unit, func(t *testing.T) {
				raw := "Date: Mon, 03 Mar 2025 10:00:00 +0000\nMessage-ID: <m@x>\n" + field + ": " +
					strings.Repeat(unit, (email.MaxBytes-200)/len(unit)) + "\n\nbody"
				e := parse(t, raw)
				checkEqual(t, "Body", e.Body, "body")
				checkEmail(t, e)
			})
		}
	}
}

package email_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/billtriage/billtriage/disputes/email"
)

func TestRedactReplaces(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"email", "Contact jane.doe@acme.example for details", "Contact [EMAIL] for details"},
		{"email with tag and subdomains", "Mail: Jane.Doe+billing@sub.acme.co.uk.", "Mail: [EMAIL]."},
		{"email in brackets", "<ap@acme.example>", "<[EMAIL]>"},
		{"non-ASCII email", "écrire à josé@empresa.es", "écrire à [EMAIL]"},
		{"email with digits beside a phone", "a1@b.io +1 555 123 4567", "[EMAIL] [PHONE]"},
		{"+1 spaced", "Call +1 555 123 4567 today", "Call [PHONE] today"},
		{"+1 compact", "+15551234567", "[PHONE]"},
		{"+1 with area code in parentheses", "+1 (555) 123-4567", "[PHONE]"},
		{"parentheses", "(555) 123-4567", "[PHONE]"},
		{"dashes then full stop", "my number is 555-123-4567.", "my number is [PHONE]."},
		{"toll free", "1-800-555-0199", "[PHONE]"},
		{"inside parentheses", "(call 555-123-4567)", "(call [PHONE])"},
		{"UK", "+44 20 7946 0958", "[PHONE]"},
		{"UK with trunk", "+44 (0)20 7946 0958", "[PHONE]"},
		{"France", "+33 1 21 75 99 54", "[PHONE]"},
		{"label with colon", "Tel:+49-30-901820", "Tel:[PHONE]"},
		{"UK national", "ring 020 7946 0958 after 5", "ring [PHONE] after 5"},
		{"France national", "01 21 75 99 54", "[PHONE]"},
		{"no-break spaces", "+33\u00a01\u00a021\u00a075\u00a099\u00a054", "[PHONE]"},
		{"card spaced", "card 4111 1111 1111 1111 exp 12/27", "card [CARD] exp 12/27"},
		{"card dashed", "4111-1111-1111-1111", "[CARD]"},
		{"card compact", "4111111111111111,", "[CARD],"},
		{"Amex 4-6-5", "3782 822463 10005", "[CARD]"},
		{"card right after a phone", "+1 555 123 4567 4111 1111 1111 1111", "[PHONE] [CARD]"},
		{"card after a word glued number", "v2 5555 5555 5555 4444", "v2 [CARD]"},
		{"IBAN grouped", "IBAN DE89 3704 0044 0532 0130 00", "IBAN [IBAN]"},
		{"IBAN compact", "IBAN:DE89370400440532013000.", "IBAN:[IBAN]."},
		{"IBAN with letters", "GB29 NWBK 6016 1331 9268 19", "[IBAN]"},
		{"IBAN lower case", "nl91 abna 0417 1643 00", "[IBAN]"},
		{"IBAN odd last group", "FR14 2004 1010 0505 0001 3M02 606", "[IBAN]"},
		{"IBAN before a capitalised word", "DE89 3704 0044 0532 0130 00 THANKS", "[IBAN] THANKS"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, _ := email.Redact(tc.in); got != tc.want {
				t.Errorf("Redact(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestRedactKeepsBillingFacts(t *testing.T) {
	for _, tc := range []struct {
		name, in string
	}{
		{"invoice ids", "Invoices INV-10042, INV-2024-0041 and INV-555-123-4567 are wrong"},
		{"amounts", "We paid $2,524.75 instead of 1,180.00 USD, +11800.00 in total"},
		{"space-grouped amounts", "1 180,00 € and 12 345 678,90 EUR"},
		{"dates", "due 2025-03-03, paid 03/04/2025 and 03.04.2025, for 2024-2025"},
		{"ISO times", "at 2025-03-03T10:15:00Z and 2025-03-03T10:15:00+01:00"},
		{"clock time", "called at 10:15:00 and 09:30"},
		{"order numbers", "order 4500012345, order #555-123-4567, PO-2025-000123, ticket 2024-0041"},
		{"short ids", "acct_217 moved to C-1106, case #4521, item A-123"},
		{"card failing Luhn", "card 4111 1111 1111 1112 and 4111111111111112"},
		{"16-digit reference", "reference 1234567812345678"},
		{"IBAN failing mod-97", "DE89 3704 0044 0532 0130 01"},
		{"local number without area code", "ext 555 1234"},
		{"address without a domain", "root@localhost"},
		{"versions and percentages", "v10.2.3, +5% uplift, 49.99 EUR per seat"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, counts := email.Redact(tc.in)
			if got != tc.in || counts != nil {
				t.Errorf("Redact(%q) = %q, %v; want it unchanged", tc.in, got, counts)
			}
		})
	}
}

func TestRedactCounts(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []email.Redaction
	}{
		{"nothing", "INV-10042 is wrong", nil},
		{"every kind, sorted", "a@b.io, c@d.io, +44 20 7946 0958, 4111 1111 1111 1111, DE89 3704 0044 0532 0130 00",
			[]email.Redaction{{Kind: "card", Count: 1}, {Kind: "email", Count: 2}, {Kind: "iban", Count: 1}, {Kind: "phone", Count: 1}}},
		{"repeats counted", "555-123-4567 or 555-123-4567", []email.Redaction{{Kind: "phone", Count: 2}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, got := email.Redact(tc.in); !slices.Equal(got, tc.want) {
				t.Errorf("Redact(%q) counts = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestRedactPathological(t *testing.T) {
	for _, tc := range []struct {
		name, unit string
	}{
		{"single digits", "1 "},
		{"parentheses", "(1)"},
		{"dashed digits", "1-"},
		{"IBAN-like heads", "AB12 "},
		{"at signs", "a@"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := strings.Repeat(tc.unit, email.MaxBytes/len(tc.unit))
			if got, counts := email.Redact(in); got != in || counts != nil {
				t.Errorf("Redact changed %d bytes of %q repeated: %v", len(in), tc.unit, counts)
			}
		})
	}
}

// emailPattern is what no redacted text may contain: an ASCII address
// with a dotted domain.
var emailPattern = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}`)

func FuzzRedact(f *testing.F) {
	for _, seed := range []string{
		"", "a@b.co", "x@y.comm@z.org", "+1 555 123 4567 4111 1111 1111 1111", "555-123-4567-+44 20 7946 0958",
		"DE89 3704 0044 0532 0130 00", "INV-10042 1,180.00 2025-03-03T10:15:00+01:00", "((555) 123-4567))",
		"a@b.co4111111111111111", "Tel:+44 (0)20 7946 0958.", "\xff\xfe4111 1111 1111 1111",
	} {
		f.Add(seed)
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "*.*"))
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(string(b))
		}
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, counts := email.Redact(in)
		if !utf8.ValidString(out) {
			t.Fatalf("Redact(%q) = %q, not valid UTF-8", in, out)
		}
		if again, more := email.Redact(out); again != out || more != nil {
			t.Fatalf("Redact is not idempotent on %q:\nonce  %q\ntwice %q (%v)", in, out, again, more)
		}
		if m := emailPattern.FindString(out); m != "" {
			t.Fatalf("Redact(%q) = %q keeps address %q", in, out, m)
		}
		checkCounts(t, out, counts)
	})
}

// checkCounts asserts that counts are sorted, positive, and no more than
// the placeholders in out.
func checkCounts(t *testing.T, out string, counts []email.Redaction) {
	t.Helper()
	for i, c := range counts {
		if c.Count < 1 || (i > 0 && counts[i-1].Kind >= c.Kind) {
			t.Fatalf("counts %v: not positive and sorted by kind", counts)
		}
		if n := strings.Count(out, "["+strings.ToUpper(c.Kind)+"]"); n < c.Count {
			t.Fatalf("count %v but %d placeholders in %q", c, n, out)
		}
	}
}

func BenchmarkRedact(b *testing.B) {
	plain := readTestdata(b, "plain_reply.txt")
	filler := "> On Tue we wrote about INV-1990 for $1,150.00 due 2025-03-01; call +44 20 7946 0958 or billing@acme.example.\n"
	for _, bc := range []struct {
		name  string
		input string
	}{
		{"plain-4KB", string(padTo(plain, filler, 4<<10))},
		{"plain-256KB", string(padTo(plain, filler, email.MaxBytes))},
		{"digits-256KB", strings.Repeat("1 ", email.MaxBytes/2)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.input)))
			b.ReportAllocs()
			for b.Loop() {
				email.Redact(bc.input)
			}
		})
	}
}

package email_test

import (
	"strings"
	"testing"

	"github.com/billtriage/billtriage/disputes/email"
)

// padTo appends copies of filler to base until it reaches size bytes, the
// way a long thread grows by quoted history.
func padTo(base, filler string, size int) []byte {
	var b strings.Builder
	b.WriteString(base)
	for b.Len()+len(filler) <= size {
		b.WriteString(filler)
	}
	return []byte(b.String())
}

func BenchmarkParse(b *testing.B) {
	plain := readTestdata(b, "plain_reply.txt")
	html := readTestdata(b, "gmail_reply.html")
	quote := "> On Tue, Feb 4, 2025 we wrote about invoice INV-1990 for $1,150.00 due 2025-03-01, see billing@acme.example.\n"
	htmlQuote := "<blockquote><p>On Feb 4 we wrote about INV-1990 for &pound;1,150.00 due 2025-03-01.</p></blockquote>\n"
	for _, bc := range []struct {
		name  string
		input []byte
	}{
		{"plain-4KB", padTo(plain, quote, 4<<10)},
		{"eml-1KB", []byte(readTestdata(b, "alternative_qp.eml"))},
		{"plain-256KB", padTo(plain, quote, email.MaxBytes)},
		{"html-256KB", padTo(html, htmlQuote, email.MaxBytes)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.input)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := email.ParseAt(bc.input, testNow); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

package embeddings

import (
	"slices"
	"strings"
	"testing"
)

// The tokeniser is tested from inside the package because its output is
// not observable through the vectors except statistically.
func TestTokenize(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"lowercase and punctuation", "ERP posting FAILED: GL account!", []string{"erp", "posting", "failed", "gl", "account"}},
		{"invoice id keeps prefix", "Invoice INV-2041 rejected", []string{"invoice", "inv", "<id>", "rejected"}},
		{"glued id keeps prefix", "sku SKU12345", []string{"sku", "sku", "<id>"}},
		{"stripe style id", "cus_N8xYz12AbC", []string{"cus", "<id>"}},
		{"hex id", "ref 3f2a9c0d7e", []string{"ref", "<id>"}},
		{"uuid", "9b2f0c1e-4d3a-4b6e-9f1a-2c3d4e5f6a7b", []string{"<id>"}},
		{"amount with currency", "charged $1,200 twice", []string{"charged", "<amount>", "twice"}},
		{"amount with cents", "total 87.13 EUR", []string{"total", "<amount>", "eur"}},
		{"european amount", "1.200,50", []string{"<amount>"}},
		{"thousands", "1,234 seats", []string{"<num>", "seats"}},
		{"small number", "3 seats", []string{"<num>", "seats"}},
		{"long number", "account 12345678", []string{"account", "<id>"}},
		{"iso date", "due 2024-03-15.", []string{"due", "<date>"}},
		{"us date", "on 03/15/2024", []string{"on", "<date>"}},
		{"timestamp", "at 2024-03-15T10:30:00Z", []string{"at", "<date>"}},
		{"unit suffix", "30-day trial", []string{"<num>", "day", "trial"}},
		{"ordinal", "the 3rd attempt", []string{"the", "<num>", "attempt"}},
		{"hyphenated words", "re-bill the add-on", []string{"re", "bill", "the", "add", "on"}},
		{"apostrophes", "customer's card didn’t", []string{"customers", "card", "didnt"}},
		{"email address", "billing@acme.com", []string{"billing", "acme", "com"}},
		{"single letters dropped", "a b c tax", []string{"tax"}},
		{"unicode", "Zahlung fehlgeschlagen für Kunde", []string{"zahlung", "fehlgeschlagen", "für", "kunde"}},
		{"invalid utf8 separates", "pay\xffment", []string{"pay", "ment"}},
		{"long letter run", "blob " + strings.Repeat("ab", 40), []string{"blob", "<id>"}},
		{"empty", "  \t\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := newScratch(64)
			sc.Tokenize(tt.in)
			var got []string
			for _, tok := range sc.Toks {
				got = append(got, string(sc.Span(tok)))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("tokenize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

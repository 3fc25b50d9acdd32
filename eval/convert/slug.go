package convert

import (
	"strings"
	"unicode"
)

// Slug turns a label into a code: lower case, every run of characters
// other than ASCII letters and digits replaced by one "_", no "_" at
// either end. "Credit reporting, credit repair services, or other personal
// consumer reports" becomes
// "credit_reporting_credit_repair_services_or_other_personal_consumer_reports".
func Slug(s string) string {
	var b strings.Builder
	gap := false
	for _, r := range strings.ToLower(s) {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if gap && b.Len() > 0 {
				b.WriteByte('_')
			}
			b.WriteRune(r)
			gap = false
			continue
		}
		gap = true
	}
	return b.String()
}

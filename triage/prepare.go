package triage

import (
	"fmt"
	"sort"
	"strings"
)

// Preparer turns an exception's text and attributes into the text that is
// embedded and matched. The service applies the same preparer to new
// exceptions and to the history, so both sides are comparable.
type Preparer func(text string, attrs map[string]any) string

// correctedFields are written by enrichment; they are left out of the
// matched text so a resolved, enriched case matches like a raw one.
var correctedFields = map[string]bool{"account_id": true, "gl_account": true, "tax_jurisdiction": true, "price_book": true}

// PrepareText appends the string and number attributes to the text as
// "key value" lines, sorted by key. Structured attributes often name the
// cause when the text is vague (an ERP error code, a meter), so matching
// should see them.
func PrepareText(text string, attrs map[string]any) string {
	keys := make([]string, 0, len(attrs))
	for k := range attrs {
		if !correctedFields[k] {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return text
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(text)
	for _, k := range keys {
		switch v := attrs[k].(type) {
		case string, float64, int, int64, bool:
			fmt.Fprintf(&b, "\n%s %v", strings.ReplaceAll(k, "_", " "), v)
		}
	}
	return b.String()
}

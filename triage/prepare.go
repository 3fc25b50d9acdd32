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

// maxAttrChars bounds the attribute values that are matched: codes and
// identifiers are short; long values (an original email kept for the
// reviewer) would drown the text.
const maxAttrChars = 120

// PrepareText appends the short string and number attributes to the text
// as "key value" lines, sorted by key. Structured attributes often name the
// cause when the text is vague (an ERP error code, a meter), so matching
// should see them. Keys starting with "email_" or "assist_" are context
// for people (the original email, a model's summary) and are not matched.
func PrepareText(text string, attrs map[string]any) string {
	keys := make([]string, 0, len(attrs))
	for k := range attrs {
		if !correctedFields[k] && !strings.HasPrefix(k, "email_") && !strings.HasPrefix(k, "assist_") {
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
		case string:
			if len(v) <= maxAttrChars {
				fmt.Fprintf(&b, "\n%s %s", strings.ReplaceAll(k, "_", " "), v)
			}
		case float64, int, int64, bool:
			fmt.Fprintf(&b, "\n%s %v", strings.ReplaceAll(k, "_", " "), v)
		}
	}
	return b.String()
}

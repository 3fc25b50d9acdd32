package dataset

import (
	"fmt"
	"strings"
)

// LineError reports a malformed line: Line (1-based; 0 when the problem was
// found by Validate or ValidateInvoice rather than while reading), Field (the
// JSON field or CSV column name, "" when the line isn't parseable at all) and
// Msg.
type LineError struct {
	Line  int
	Field string
	Msg   string
}

// Error renders the error as "line 12: field \"occurred_at\": not an RFC 3339
// time", leaving out the parts that are not known.
func (e *LineError) Error() string {
	var b strings.Builder
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, "field %q: ", e.Field)
	}
	b.WriteString(e.Msg)
	return b.String()
}

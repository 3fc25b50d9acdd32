package triage

import (
	"math"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits of an exception's fields. They are checked by Exception.Validate,
// so a file loaded with `billtriage load` and a request to the API are held
// to the same bounds, before the database sees either: PostgreSQL refuses a
// btree entry above about 2.7 KB (customer_id, (source, external_id) and
// attributes->>'sender_domain' are indexed), and everything stored is sent
// back in replies, so bounded input keeps replies bounded too.
const (
	// MaxIDBytes bounds the identifiers and short fields: source, id
	// (external_id), customer_id, invoice_id and region. Real identifiers
	// are far shorter; 200 bytes keeps (source, external_id) in one index
	// entry.
	MaxIDBytes = 200
	// MaxAmount bounds |amount|: a trillion is beyond any invoice, and the
	// column (numeric(20, 4)) holds 16 integer digits.
	MaxAmount = 1e12
	// MaxAttrDepth bounds how deep attributes nest, counting the
	// attributes object as level 1: {"a": {"b": {"c": [1]}}} is 4 levels.
	MaxAttrDepth = 4
	// MaxAttrEntries bounds the object keys and array elements in all of
	// an exception's attributes together.
	MaxAttrEntries = 200
	// MaxAttrBytes bounds the attributes encoded as JSON (OriginalAttr
	// aside): they are stored as jsonb and shown on every read.
	MaxAttrBytes = 64 << 10
	// MaxAttrKeyBytes bounds each attribute key.
	MaxAttrKeyBytes = 200
	// MaxAttrValueBytes bounds each attribute string value so that any
	// attribute can be indexed (sender_domain is).
	MaxAttrValueBytes = 2 << 10
	// MaxFuture is how far after now occurred_at may lie: clocks drift and
	// some systems date an exception by its billing period's end.
	MaxFuture = 366 * 24 * time.Hour
)

// OriginalAttr is the attribute that keeps an input as it arrived (the
// dispute intake's pasted e-mail) for a reviewer. It is a string bounded
// like the text (MaxTextBytes) instead of MaxAttrValueBytes and is left out
// of MaxAttrBytes: it is shown, never indexed or matched on.
const OriginalAttr = "email_original"

// EarliestOccurredAt is the earliest occurred_at accepted: older dates are
// typos (0000, 1970) rather than billing exceptions anyone still works on.
var EarliestOccurredAt = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// PlausibleTime reports whether t may be an exception's occurred_at at
// now: from EarliestOccurredAt up to MaxFuture after now.
func PlausibleTime(t, now time.Time) bool {
	return !t.Before(EarliestOccurredAt) && !t.After(now.Add(MaxFuture))
}

// PlausibleAmount reports whether a is finite and within MaxAmount.
func PlausibleAmount(a float64) bool {
	return !math.IsNaN(a) && math.Abs(a) <= MaxAmount
}

// checkString refuses s when it is longer than max bytes, not UTF-8 or
// holds a NUL: PostgreSQL text cannot store NUL, and invalid UTF-8 would be
// replaced when the value is sent back as JSON, so it would not round-trip.
func checkString(field, s string, max int) error {
	switch {
	case len(s) > max:
		return Invalid(field, "is longer than %d bytes", max)
	case !utf8.ValidString(s):
		return Invalid(field, "is not valid UTF-8")
	case strings.IndexByte(s, 0) >= 0:
		return Invalid(field, "contains a NUL character")
	}
	return nil
}

// validateShort checks the identifiers and short fields against MaxIDBytes.
func (e *Exception) validateShort() error {
	for _, f := range []struct{ name, value string }{
		{"source", e.Source}, {"id", e.ExternalID}, {"customer_id", e.CustomerID},
		{"invoice_id", e.InvoiceID}, {"region", e.Region},
	} {
		if err := checkString(f.name, f.value, MaxIDBytes); err != nil {
			return err
		}
	}
	return nil
}

package dataset

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/billtriage/billtriage/triage"
)

// wireRecord holds each field of a line undecoded so that a bad value can be
// blamed on its field by name; decoding straight into Record would only say
// that something somewhere failed. Unknown fields are ignored.
type wireRecord struct {
	ID         json.RawMessage `json:"id"`
	OccurredAt json.RawMessage `json:"occurred_at"`
	Type       json.RawMessage `json:"type"`
	Source     json.RawMessage `json:"source"`
	Text       json.RawMessage `json:"text"`
	CustomerID json.RawMessage `json:"customer_id"`
	InvoiceID  json.RawMessage `json:"invoice_id"`
	Amount     json.RawMessage `json:"amount"`
	Currency   json.RawMessage `json:"currency"`
	Region     json.RawMessage `json:"region"`
	Attributes json.RawMessage `json:"attributes"`
	Resolution json.RawMessage `json:"resolution"`
}

type wireResolution struct {
	RootCause  json.RawMessage `json:"root_cause"`
	Action     json.RawMessage `json:"action"`
	Params     json.RawMessage `json:"params"`
	Queue      json.RawMessage `json:"queue"`
	ResolvedAt json.RawMessage `json:"resolved_at"`
}

// decodeRecord parses and validates one non-blank line.
func decodeRecord(line []byte) (Record, *LineError) {
	var w wireRecord
	if err := json.Unmarshal(line, &w); err != nil {
		return Record{}, &LineError{Msg: "not a JSON object: " + err.Error()}
	}
	rec, le := w.record()
	if le != nil {
		return Record{}, le
	}
	return rec, validateRecord(rec)
}

// DecodeException reads one exception posted on its own (the HTTP API's
// input): the fields of a record, each blamed by name when its value is
// bad, with no resolution (history is loaded, not posted) and no unknown
// field, since a misspelt field would otherwise lose its value silently.
// It does not validate: the domain does, once the record is an exception.
func DecodeException(raw []byte) (Record, error) {
	var w wireRecord
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			return Record{}, fieldErr(strings.Trim(f, `"`), "unknown field")
		}
		return Record{}, &LineError{Msg: "not a JSON object: " + err.Error()}
	}
	if !absent(w.Resolution) {
		return Record{}, fieldErr("resolution", "is not accepted here: history is loaded with billtriage load")
	}
	rec, le := w.record()
	if le != nil {
		return Record{}, le
	}
	return rec, nil
}

// record decodes each field of w, failing on the first bad one.
func (w wireRecord) record() (Record, *LineError) {
	d := fieldDecoder{}
	rec := Record{
		ID:         d.str("id", w.ID),
		OccurredAt: d.time("occurred_at", w.OccurredAt),
		Type:       d.str("type", w.Type),
		Source:     d.str("source", w.Source),
		Text:       d.str("text", w.Text),
		CustomerID: d.str("customer_id", w.CustomerID),
		InvoiceID:  d.str("invoice_id", w.InvoiceID),
		Amount:     d.number("amount", w.Amount),
		Currency:   d.str("currency", w.Currency),
		Region:     d.str("region", w.Region),
		Attributes: d.object("attributes", w.Attributes),
		Resolution: d.resolution(w.Resolution),
	}
	if d.err != nil {
		return Record{}, d.err
	}
	return rec, nil
}

// fieldDecoder decodes fields one by one and keeps the first failure, so the
// caller can decode everything in one expression and check once.
type fieldDecoder struct {
	err *LineError
}

func (d *fieldDecoder) fail(field, msg string) {
	if d.err == nil {
		d.err = fieldErr(field, msg)
	}
}

// absent treats a missing field and an explicit null alike.
func absent(raw json.RawMessage) bool {
	return len(raw) == 0 || bytes.Equal(raw, []byte("null"))
}

func (d *fieldDecoder) str(field string, raw json.RawMessage) string {
	var s string
	if absent(raw) || !d.unicode(field, raw) {
		return s
	}
	if json.Unmarshal(raw, &s) != nil {
		d.fail(field, "not a string")
	}
	return s
}

func (d *fieldDecoder) time(field string, raw json.RawMessage) time.Time {
	s := d.str(field, raw)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		d.fail(field, "not an RFC 3339 time")
	}
	return t
}

func (d *fieldDecoder) number(field string, raw json.RawMessage) *float64 {
	if absent(raw) {
		return nil
	}
	var f float64
	if json.Unmarshal(raw, &f) != nil {
		// Overflowing literals such as 1e999 land here too.
		d.fail(field, "not a finite number")
		return nil
	}
	return &f
}

func (d *fieldDecoder) object(field string, raw json.RawMessage) map[string]any {
	if absent(raw) {
		return nil
	}
	if !d.unicode(field, raw) {
		return nil
	}
	// Checked before decoding, which would otherwise build however deep a
	// value the line holds only for Validate to refuse it.
	if _, ok := Nesting(raw, triage.MaxAttrDepth); !ok {
		d.fail(field, fmt.Sprintf("nests deeper than %d levels", triage.MaxAttrDepth))
		return nil
	}
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		d.fail(field, "not a JSON object of JSON values")
	}
	return m
}

// unicode refuses raw that is not UTF-8 or escapes half a surrogate pair:
// decoding would silently replace either with U+FFFD, so the value stored
// would not be the value sent.
func (d *fieldDecoder) unicode(field string, raw json.RawMessage) bool {
	switch {
	case !utf8.Valid(raw):
		d.fail(field, "is not valid UTF-8")
	case loneSurrogate(raw):
		d.fail(field, "escapes half a UTF-16 surrogate pair, which is not valid Unicode")
	default:
		return true
	}
	return false
}

func (d *fieldDecoder) resolution(raw json.RawMessage) *Resolution {
	if absent(raw) {
		return nil
	}
	var w wireResolution
	if json.Unmarshal(raw, &w) != nil {
		d.fail("resolution", "not a JSON object")
		return nil
	}
	res := &Resolution{
		RootCause: d.str("resolution.root_cause", w.RootCause),
		Action:    d.str("resolution.action", w.Action),
		Params:    d.object("resolution.params", w.Params),
		Queue:     d.str("resolution.queue", w.Queue),
	}
	if t := d.time("resolution.resolved_at", w.ResolvedAt); !t.IsZero() {
		res.ResolvedAt = &t
	}
	return res
}

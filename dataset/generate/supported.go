package generate

import (
	"fmt"
	"strconv"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/triage"
)

// keepSupportedParams drops the label's parameters the case does not
// state: a value that is none of the record's fields or attributes, not
// written in its text and not the target of one of its corrections. A
// person resolving the case could only have taken such a value from
// somewhere the record does not show (a retry interval of their choosing,
// the invoice's period looked up elsewhere), so no triage of the record
// could know it; a label stating it would only reward copying a
// neighbour's value. What remains is what the case supports, so copying
// from a precedent is measurably wrong.
func keepSupportedParams(rec *dataset.Record) {
	res := rec.Resolution
	if res == nil {
		return
	}
	for name, v := range res.Params {
		if name == "corrections" {
			continue
		}
		if !supported(rec, v) {
			delete(res.Params, name)
		}
	}
}

// supported reports whether the record states v.
func supported(rec *dataset.Record, v any) bool {
	s := paramString(v)
	if s == "" {
		return false
	}
	fields := []string{rec.CustomerID, rec.InvoiceID, rec.Currency, rec.Region, rec.Source}
	if rec.Amount != nil {
		fields = append(fields, paramString(*rec.Amount))
	}
	for _, a := range rec.Attributes {
		fields = append(fields, paramString(a))
	}
	if cs, ok := rec.Resolution.Params["corrections"].([]any); ok {
		for _, c := range cs {
			if m, ok := c.(map[string]any); ok {
				fields = append(fields, paramString(m["to"]))
			}
		}
	}
	for _, f := range fields {
		if f == s || sameNumber(f, s) {
			return true
		}
	}
	return triage.ContainsToken(rec.Text, s)
}

func paramString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int:
		return strconv.Itoa(x)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

func sameNumber(a, b string) bool {
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	return err1 == nil && err2 == nil && x == y
}

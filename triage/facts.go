package triage

import (
	"encoding/json"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Facts are what a case states about itself outside its text: its fields
// and attributes as they stood when it was resolved. The history keeps
// them beside each resolution so that where a parameter's value comes from
// can be learned (see LearnParams).
type Facts struct {
	Source     string         `json:"source,omitempty"`
	CustomerID string         `json:"customer_id,omitempty"`
	InvoiceID  string         `json:"invoice_id,omitempty"`
	Amount     *float64       `json:"amount,omitempty"`
	Currency   string         `json:"currency,omitempty"`
	Region     string         `json:"region,omitempty"`
	Attributes map[string]any `json:"attributes,omitempty"`
}

// Facts returns the exception's facts.
func (e *Exception) Facts() Facts {
	return Facts{Source: e.Source, CustomerID: e.CustomerID, InvoiceID: e.InvoiceID, Amount: e.Amount,
		Currency: e.Currency, Region: e.Region, Attributes: e.Attributes}
}

// attrPrefix names an attribute among the facts' places.
const attrPrefix = "attributes."

// Places lists every place the facts state a value, with the value: the
// fields by their JSON name and the scalar attributes as
// "attributes.NAME", sorted by place.
func (f Facts) Places() map[string]any {
	out := map[string]any{}
	put := func(place, v string) {
		if v != "" {
			out[place] = v
		}
	}
	put("source", f.Source)
	put("customer_id", f.CustomerID)
	put("invoice_id", f.InvoiceID)
	put("currency", f.Currency)
	put("region", f.Region)
	if f.Amount != nil {
		out["amount"] = *f.Amount
	}
	for k, v := range f.Attributes {
		switch v.(type) {
		case string, float64, bool, int, int64:
			out[attrPrefix+k] = v
		}
	}
	return out
}

// sortedPlaces returns the keys of Places in order.
func sortedPlaces(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Number tolerance of parameter equality: amounts and rates are written
// with different rounding by different people and systems (12.5 and 12.50,
// a rate of 0.0725 rounded to 0.073), and a difference within either bound
// changes nothing that is applied.
const (
	paramRelTol = 0.005
	paramAbsTol = 0.01
)

// SameValue reports whether two parameter values state the same thing.
// Strings compare trimmed and case-sensitive (GL accounts and ids are
// case-sensitive in the ERPs); numbers within 0.5% or 0.01, and a string
// that parses as a number equals a number (a label's "12.50" and 12.5 are
// one amount), while two strings stay strings ("0042" is not "42");
// booleans as booleans; lists in order and objects by key with the same
// rules. Nil equals only nil.
func SameValue(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	if isNumeric(a) || isNumeric(b) {
		x, okX := asNumber(a)
		y, okY := asNumber(b)
		return okX && okY && closeNumbers(x, y)
	}
	switch l := a.(type) {
	case string:
		s, ok := b.(string)
		return ok && strings.TrimSpace(l) == strings.TrimSpace(s)
	case bool:
		s, ok := b.(bool)
		return ok && l == s
	case []any:
		s, ok := b.([]any)
		if !ok || len(s) != len(l) {
			return false
		}
		for i := range l {
			if !SameValue(l[i], s[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		s, ok := b.(map[string]any)
		if !ok || len(s) != len(l) {
			return false
		}
		for k, v := range l {
			if !SameValue(v, s[k]) {
				return false
			}
		}
		return true
	}
	return false
}

func isNumeric(v any) bool {
	switch v.(type) {
	case float64, float32, int, int64, json.Number:
		return true
	}
	return false
}

// asNumber reads v as a number: a number of any Go type, or a string that
// parses as a finite one.
func asNumber(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case float32:
		return float64(n), true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case json.Number:
		return asNumber(string(n))
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(n), 64)
		return f, err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)
	}
	return 0, false
}

func closeNumbers(x, y float64) bool {
	d := math.Abs(x - y)
	return d <= paramAbsTol || d <= paramRelTol*math.Max(math.Abs(x), math.Abs(y))
}

// valueString renders a scalar parameter value as text, for matching in
// text and for shape learning.
func valueString(v any) string {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case bool:
		return strconv.FormatBool(x)
	}
	return ""
}

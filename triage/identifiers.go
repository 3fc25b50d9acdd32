package triage

import "sort"

// Identifier is a value on an exception that a correction could map.
type Identifier struct {
	Field string `json:"field"` // the field a correction would set
	Key   string `json:"key"`   // what the evidence is looked up by
	Value string `json:"value"` // the value observed now ("" when missing)
}

// Identifiers lists what enrichment can look up for ex: the structured
// attributes each type is known to carry first, then, for each field with
// learned key shapes and no identifier yet, a key found where the
// field's history found keys (see KeyShapes.Find). Key shapes are learned
// from the corrections memory, never listed here, so a customer's key of a
// new shape is looked up once people have corrected a few. The order is
// stable.
func Identifiers(ex *Exception, learned map[string]*KeyShapes) []Identifier {
	attr := func(k string) string { s, _ := ex.Attributes[k].(string); return s }
	var out []Identifier
	have := map[string]bool{}
	add := func(field, key, value string) {
		if key != "" && !have[field] {
			out = append(out, Identifier{Field: field, Key: key, Value: value})
			have[field] = true
		}
	}
	switch ex.Type {
	case UsageMismatch:
		// Usage records name the account key they arrived under.
		add("account_id", attr("account_key"), attr("account_key"))
	case ERPPostingFailure:
		if sku, ent := attr("sku"), attr("entity"); sku != "" && ent != "" {
			add("gl_account", sku+"@"+ent, attr("gl_account"))
		}
	case TaxInconsistency:
		add("tax_jurisdiction", ex.CustomerID, attr("jurisdiction"))
	case PricingDiscrepancy:
		add("price_book", attr("subscription"), attr("price_book"))
	}
	fields := make([]string, 0, len(learned))
	for f := range learned {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, f := range fields {
		if have[f] {
			continue
		}
		if key, ok := learned[f].Find(ex); ok {
			add(f, key, firstNonEmpty(attr(f), key))
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

package triage

import (
	"regexp"
	"sort"
)

// Identifier is a value on an exception that a correction could map.
type Identifier struct {
	Field string `json:"field"` // the field a correction would set
	Key   string `json:"key"`   // what the evidence is looked up by
	Value string `json:"value"` // the value observed now ("" when missing)
}

// accountKey finds account identifiers in free text when the structured
// attributes lack them: acct_217, org-4411, tnt_9f2c31.
var accountKey = regexp.MustCompile(`\b(acct_[0-9]+|org-[0-9]+|tnt_[0-9a-f]{4,})\b`)

// Identifiers lists what enrichment can look up for ex: structured
// attributes first, then account keys in the text. The order is stable.
func Identifiers(ex *Exception) []Identifier {
	attr := func(k string) string { s, _ := ex.Attributes[k].(string); return s }
	var out []Identifier
	add := func(field, key, value string) {
		if key != "" {
			out = append(out, Identifier{Field: field, Key: key, Value: value})
		}
	}
	switch ex.Type {
	case UsageMismatch:
		key := attr("account_key")
		if key == "" {
			key = accountKey.FindString(ex.Text)
		}
		add("account_id", key, key)
	case ERPPostingFailure:
		if sku, ent := attr("sku"), attr("entity"); sku != "" && ent != "" {
			add("gl_account", sku+"@"+ent, attr("gl_account"))
		}
	case TaxInconsistency:
		add("tax_jurisdiction", ex.CustomerID, attr("jurisdiction"))
	case PricingDiscrepancy:
		add("price_book", attr("subscription"), attr("price_book"))
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

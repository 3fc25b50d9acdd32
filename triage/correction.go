package triage

import (
	"fmt"
	"strings"
	"time"
)

// Correction is a field fixed by a person, as a resolution records it in
// params: {"corrections": [{"field": "account_id", "key": "acct_217",
// "from": "acct_217", "to": "C-1106"}]}. Key is the identifier the mapping
// is looked up by (for account_id the observed account key; for
// gl_account "<sku>@<entity>"; for tax_jurisdiction the customer; for
// price_book the subscription); it defaults to From. ReversedAt marks a
// correction later found wrong.
type Correction struct {
	Field      string     `json:"field"`
	Key        string     `json:"key"`
	From       string     `json:"from"`
	To         string     `json:"to"`
	ReversedAt *time.Time `json:"reversed_at,omitempty"`
}

// Evidence is a stored correction with its context, the memory enrichment
// learns from.
type Evidence struct {
	Correction
	ResolutionID int64     `json:"resolution_id"`
	Type         Type      `json:"type"`
	At           time.Time `json:"at"`
	By           string    `json:"by"`
}

// CorrectionsFromParams reads the corrections a resolution's params carry.
// Malformed entries are reported so a bad file line names them.
func CorrectionsFromParams(params map[string]any) ([]Correction, error) {
	raw, ok := params["corrections"]
	if !ok || raw == nil {
		return nil, nil
	}
	list, ok := raw.([]any)
	if !ok {
		return nil, Invalid("params.corrections", "must be a list")
	}
	out := make([]Correction, 0, len(list))
	for i, item := range list {
		c, err := correctionFrom(item)
		if err != nil {
			return nil, Invalid(fmt.Sprintf("params.corrections[%d]", i), "%v", err)
		}
		out = append(out, c)
	}
	return out, nil
}

func correctionFrom(item any) (Correction, error) {
	m, ok := item.(map[string]any)
	if !ok {
		return Correction{}, fmt.Errorf("must be an object")
	}
	str := func(k string) string { s, _ := m[k].(string); return strings.TrimSpace(s) }
	c := Correction{Field: str("field"), Key: str("key"), From: str("from"), To: str("to")}
	if c.Key == "" {
		c.Key = c.From
	}
	if c.Field == "" || c.Key == "" || c.To == "" {
		return c, fmt.Errorf("field, to and key (or from) are required")
	}
	for k, v := range map[string]string{"field": c.Field, "key": c.Key, "from": c.From, "to": c.To} {
		// They are indexed with the corrections memory, like identifiers.
		if err := checkString(k, v, MaxIDBytes); err != nil {
			return c, err
		}
	}
	if s := str("reversed_at"); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return c, fmt.Errorf("reversed_at is not an RFC 3339 time")
		}
		c.ReversedAt = &t
	}
	return c, nil
}

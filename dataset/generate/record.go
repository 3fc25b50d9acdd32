package generate

import (
	"strings"
	"time"

	"github.com/billtriage/billtriage/dataset"
)

// record builds the unlabelled part of a record. Attributes are drawn after
// the text so they reuse the values the text mentions.
func (c *recCtx) record() (rec dataset.Record, vague bool) {
	text, source, vague := c.text()
	rec = dataset.Record{
		OccurredAt: c.at,
		Type:       c.cause.Type,
		Source:     source,
		Text:       text,
		CustomerID: c.cust.id,
		InvoiceID:  c.inv.InvoiceID,
		Currency:   c.inv.Currency,
		Region:     c.cust.country.region,
		Attributes: c.attributes(vague),
	}
	if c.cause.stake != stakeNone {
		amount := roundMoney(c.stake, c.inv.Currency)
		rec.Amount = &amount
	}
	c.dropReferences(&rec)
	return rec, vague
}

// text renders one phrasing of the cause, or a vague text that hides it.
func (c *recCtx) text() (text, source string, vague bool) {
	t := pick(c.r, c.cause.texts)
	body := t.text
	if vague = c.r.chance(vagueRate); vague {
		body = pick(c.r, vagueTexts)
		if t.style != mail {
			t = tmpl{source: pick(c.r, []string{srcBilling, srcSupport}), style: plain}
		}
	}
	text = c.expand(body)
	switch t.style {
	case note:
		if c.r.chance(0.5) {
			text = addTypos(c.r, text)
		}
	case mail:
		text = c.composeEmail(text)
	}
	return tidy(text), t.source, vague
}

// tidy removes the seams of template assembly: a legal name ending in "."
// followed by a sentence's full stop ("Ltd.."). Templates contain no "...".
func tidy(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "..", "."))
}

// dropReferences leaves out ids the reporter wouldn't have had: unmapped
// usage has no known customer, contact changes rarely cite an invoice, and
// a few records of any kind arrive without them. Disputes always keep both
// so they can be joined to the invoice they dispute.
func (c *recCtx) dropReferences(rec *dataset.Record) {
	switch {
	case c.cause.Type == "billing_dispute":
	case c.cause.RootCause == "unmapped_usage_account" && c.r.chance(0.7):
		rec.CustomerID, rec.InvoiceID = "", ""
	case c.cause.RootCause == "billing_contact_update" && c.r.chance(0.8):
		rec.InvoiceID = ""
	case c.r.chance(0.04):
		rec.InvoiceID = ""
	}
}

// attributes are the structured fields each source system attaches: the
// identifiers the record is keyed on, which a correction's key refers to,
// and details. A vague record comes from a person, not a system: it keeps
// the identifiers of the record it was raised on but no details. Every
// record of a type carries the same identifiers, so their presence says
// nothing about the cause.
func (c *recCtx) attributes(vague bool) map[string]any {
	var ids, details []string // attribute name, variable, ...
	switch c.cause.Type {
	case "billing_dispute", "other":
		return map[string]any{"channel": "email", "ticket": c.get("ticket")}
	case "usage_mismatch":
		ids, details = []string{"account_key", "acct"}, []string{"meter", "meter"}
	case "pricing_discrepancy":
		ids, details = []string{"subscription", "sub", "price_book", "price_book_seen"}, []string{"plan", "plan"}
	case "erp_posting_failure":
		ids, details = []string{"entity", "entity", "sku", "sku"}, []string{"erp", "erp_key", "error_code", "erp_code"}
	case "tax_inconsistency":
		ids, details = []string{"jurisdiction", "juris_seen"}, []string{"engine", "engine"}
	}
	if !vague {
		ids = append(ids, details...)
	}
	attrs := make(map[string]any, len(ids)/2)
	for i := 0; i < len(ids); i += 2 {
		attrs[ids[i]] = c.get(ids[i+1])
	}
	return attrs
}

// queueDelay is the median time each queue takes to resolve an exception.
var queueDelay = map[string]time.Duration{"revops": 30 * time.Hour, "finance": 40 * time.Hour, "tax": 96 * time.Hour, "support": 10 * time.Hour}

func (c *recCtx) resolution(label *cause) *dataset.Resolution {
	median := float64(queueDelay[label.Queue])
	delay := max(15*time.Minute, time.Duration(c.r.logNormal(median, 0.8)))
	resolved := c.at.Add(delay).Truncate(time.Second)
	params := label.params(c)
	// Only the true cause corrects its field: under a mislabel the field
	// was not wrong in that way, so nothing was corrected.
	if label == c.cause && label.correct != nil {
		params["corrections"] = label.correct(c).params()
	}
	return &dataset.Resolution{
		RootCause:  label.RootCause,
		Action:     label.Action,
		Params:     params,
		Queue:      label.Queue,
		ResolvedAt: &resolved,
	}
}

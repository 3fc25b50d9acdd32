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

// attributes are the structured fields each source system attaches. A
// vague record comes from a person, not a system, so it has none beyond a
// ticket number.
func (c *recCtx) attributes(vague bool) map[string]any {
	switch c.cause.Type {
	case "billing_dispute", "other":
		return map[string]any{"channel": "email", "ticket": c.get("ticket")}
	case "usage_mismatch":
		if !vague {
			return map[string]any{"meter": c.get("meter"), "account_key": c.get("acct")}
		}
	case "pricing_discrepancy":
		if !vague {
			return map[string]any{"plan": c.cust.plan, "subscription": c.get("sub")}
		}
	case "erp_posting_failure":
		if !vague {
			return map[string]any{"erp": c.get("erp_key"), "error_code": c.get("erp_code"), "entity": c.get("entity")}
		}
	case "tax_inconsistency":
		if !vague {
			return map[string]any{"jurisdiction": c.get("juris"), "engine": c.get("engine")}
		}
	}
	return nil
}

// queueDelay is the median time each queue takes to resolve an exception.
var queueDelay = map[string]time.Duration{"revops": 30 * time.Hour, "finance": 40 * time.Hour, "tax": 96 * time.Hour, "support": 10 * time.Hour}

func (c *recCtx) resolution(label *cause) *dataset.Resolution {
	median := float64(queueDelay[label.Queue])
	delay := max(15*time.Minute, time.Duration(c.r.logNormal(median, 0.8)))
	resolved := c.at.Add(delay).Truncate(time.Second)
	return &dataset.Resolution{
		RootCause:  label.RootCause,
		Action:     label.Action,
		Params:     label.params(c),
		Queue:      label.Queue,
		ResolvedAt: &resolved,
	}
}

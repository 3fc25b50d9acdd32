package triage

import (
	"cmp"
	"fmt"
	"math"
	"strings"
	"time"
)

// CheckConfig tunes the pre-release checks.
type CheckConfig struct {
	// ClosedThrough is the last closed accounting period, YYYY-MM, as the
	// close team sets it; "" leaves closing to what the history shows.
	ClosedThrough string
	// RaiseAt is the least severity that raises an exception; "" means
	// error.
	RaiseAt Severity
	// MinSupport is the fewest sightings a learned expectation needs
	// before a draft that differs from it is an error; 0 means 2.
	MinSupport int
}

func (c CheckConfig) withDefaults() CheckConfig {
	if c.RaiseAt == "" {
		c.RaiseAt = SeverityError
	}
	if c.MinSupport == 0 {
		c.MinSupport = 2
	}
	return c
}

// Validate checks the configuration.
func (c CheckConfig) Validate() error {
	if c.ClosedThrough != "" {
		if _, err := ParsePeriod(c.ClosedThrough); err != nil {
			return Invalid("closed_through", "must be a month written YYYY-MM, not %q", c.ClosedThrough)
		}
	}
	if c.RaiseAt != "" && c.RaiseAt.Rank() == 0 {
		return Invalid("raise_at", "must be info, warning or error, not %q", c.RaiseAt)
	}
	if c.MinSupport < 0 {
		return Invalid("min_support", "must not be negative")
	}
	return nil
}

// CheckDraft runs every check on d as of now (d's posting date when set)
// and returns the findings in check order.
func (k *CheckKnowledge) CheckDraft(d Draft, now time.Time, cfg CheckConfig) []Finding {
	cfg = cfg.withDefaults()
	if !d.PostingDate.IsZero() {
		now = d.PostingDate
	}
	var out []Finding
	out = append(out, k.checkCustomer(d, cfg)...)
	out = append(out, k.checkEntity(d, cfg)...)
	for i, l := range d.Lines {
		out = append(out, k.checkAccount(d, i, l, cfg)...)
	}
	out = append(out, k.checkTax(d, cfg)...)
	for i, l := range d.Lines {
		out = append(out, k.checkBook(i, l, cfg)...)
	}
	return append(out, k.checkPeriod(d, now, cfg)...)
}

// strong grades a learned expectation: an error once it has MinSupport
// sightings and most of its key's, a warning below.
func strong(n, total int, cfg CheckConfig) Severity {
	if n >= cfg.MinSupport && float64(n) >= 0.6*float64(total) {
		return SeverityError
	}
	return SeverityWarning
}

func cases(n int) string {
	if n == 1 {
		return "1 resolved case"
	}
	return fmt.Sprintf("%d resolved cases", n)
}

func (k *CheckKnowledge) checkCustomer(d Draft, cfg CheckConfig) []Finding {
	var out []Finding
	if k.customers[d.CustomerID] == 0 && k.sightings >= cfg.MinSupport {
		out = append(out, Finding{Check: CheckCustomerMaster, Field: "customer_id", Got: d.CustomerID,
			Expected: "a customer known to the customer master", Severity: SeverityError,
			Evidence: fmt.Sprintf("%s appears in none of %d invoices and cases, nor as a corrected mapping", d.CustomerID, k.sightings)})
	}
	if to := k.supersedes[d.CustomerID]; to != "" {
		out = append(out, Finding{Check: CheckCustomerMaster, Field: "customer_id", Got: d.CustomerID, Expected: to,
			Severity: SeverityWarning, Support: 1, Evidence: fmt.Sprintf("account mappings to %s moved to %s", d.CustomerID, to)})
	}
	if d.AccountKey == "" {
		return out
	}
	to, n, total := k.accountTo.best(d.AccountKey)
	if to != "" && to != d.CustomerID && k.supersedes[to] != d.CustomerID {
		out = append(out, Finding{Check: CheckCustomerMaster, Field: "account_key", Got: d.AccountKey + " → " + d.CustomerID,
			Expected: to, Support: n, Severity: strong(n, total, cfg),
			Evidence: fmt.Sprintf("%s → %s in %s", d.AccountKey, to, cases(n))})
	}
	return out
}

func (k *CheckKnowledge) checkEntity(d Draft, cfg CheckConfig) []Finding {
	if ent, n, total := k.custEntity.best(d.CustomerID); ent != "" {
		if k.custEntity[d.CustomerID][d.Entity] > 0 {
			return nil
		}
		return []Finding{{Check: CheckLegalEntity, Field: "entity", Got: d.Entity, Expected: ent, Support: n,
			Severity: strong(n, total, cfg), Evidence: fmt.Sprintf("%s posted to %s in %s", d.CustomerID, ent, cases(n))}}
	}
	region := d.Region
	if region == "" {
		region, _, _ = k.custRegion.best(d.CustomerID)
	}
	m := market(region, d.Currency)
	if _, _, total := k.marketEnt.best(m); total >= cfg.MinSupport && k.marketEnt[m][d.Entity] == 0 {
		return []Finding{{Check: CheckLegalEntity, Field: "entity", Got: d.Entity, Expected: k.marketEnt.list(m, 1),
			Support: total, Severity: SeverityError,
			Evidence: fmt.Sprintf("entities seen for %s: %s", m, k.marketEnt.list(m, 4))}}
	}
	return nil
}

func (k *CheckKnowledge) checkAccount(d Draft, i int, l DraftLine, cfg CheckConfig) []Finding {
	key := l.SKU + "@" + d.Entity
	f := Finding{Check: CheckRevenueAccount, Field: fmt.Sprintf("lines[%d].gl_account", i), Got: l.GLAccount}
	gl, n, total := k.gl.best(key)
	if l.GLAccount == "" {
		return k.checkUnassigned(key, gl, f, cfg)
	}
	if gl == "" {
		return k.checkAccountShape(d, l, f, cfg)
	}
	if l.GLAccount == gl {
		return nil
	}
	f.Expected, f.Support, f.Severity = gl, n, strong(n, total, cfg)
	f.Evidence = fmt.Sprintf("%s → %s in %s", key, gl, cases(n))
	return []Finding{f}
}

// checkUnassigned judges a line that leaves its account to the ERP. With
// no mapping ever learned after the ERP failed for want of one it is an
// error; a mapping that was added but failed again (it did not stick) is a
// warning, since the failures do not say the ERP lacks it now; no mapping
// and no failure is a note.
func (k *CheckKnowledge) checkUnassigned(key, gl string, f Finding, cfg CheckConfig) []Finding {
	n := k.glMissing[key]
	f.Expected, f.Support = cmp.Or(gl, "a revenue account"), n
	f.Evidence = fmt.Sprintf("%s failed to post for want of a revenue account in %s", key, cases(n))
	switch {
	case n > 0 && gl == "":
		f.Severity = SeverityError
	case n >= cfg.MinSupport:
		f.Severity, f.Evidence = SeverityWarning, f.Evidence+"; mapped to "+gl
	case gl != "":
		return nil
	default:
		f.Severity, f.Evidence = SeverityInfo, fmt.Sprintf("no mapping of %s is known", key)
	}
	return []Finding{f}
}

// checkAccountShape judges an account no mapping of the line is known
// for by how the learned accounts look: they name their entity, and a
// SKU's accounts share one stem across entities.
func (k *CheckKnowledge) checkAccountShape(d Draft, l DraftLine, f Finding, cfg CheckConfig) []Finding {
	agree, total := k.glNamesEnt[0], k.glNamesEnt[1]
	if total < cfg.MinSupport || float64(agree) < 0.95*float64(total) {
		return nil
	}
	if !strings.Contains(l.GLAccount, d.Entity) {
		f.Expected, f.Support, f.Severity = "an account of entity "+d.Entity, agree, SeverityError
		f.Evidence = fmt.Sprintf("%d of %d learned revenue accounts name their entity", agree, total)
		return []Finding{f}
	}
	st, n, all := k.skuStem.best(l.SKU)
	if st != "" && st != stem(l.GLAccount, d.Entity) {
		f.Expected, f.Support, f.Severity = st+" (with the entity)", n, strong(n, all, cfg)
		f.Evidence = fmt.Sprintf("%s posts to %s in other entities in %s", l.SKU, st, cases(n))
		return []Finding{f}
	}
	return nil
}

func (k *CheckKnowledge) checkTax(d Draft, cfg CheckConfig) []Finding {
	if d.TaxCode == "" {
		return nil
	}
	f := Finding{Check: CheckTaxTreatment, Field: "tax_code", Got: d.TaxCode}
	if j, n, total := k.custJuris.best(d.CustomerID); j != "" {
		if j == d.TaxCode {
			return nil
		}
		f.Expected, f.Support, f.Severity = j, n, strong(n, total, cfg)
		f.Evidence = fmt.Sprintf("%s taxed in %s in %s", d.CustomerID, j, cases(n))
		if k.jurisWrong[d.CustomerID][d.TaxCode] {
			f.Severity = SeverityError
			f.Evidence += fmt.Sprintf("; %s was corrected away from %s", d.CustomerID, d.TaxCode)
		}
		return []Finding{f}
	}
	region := d.Region
	if region == "" {
		region, _, _ = k.custRegion.best(d.CustomerID)
	}
	if _, _, total := k.regionJuris.best(region); total >= cfg.MinSupport && k.regionJuris[region][d.TaxCode] == 0 {
		f.Expected, f.Support, f.Severity = "a jurisdiction of region "+region, total, SeverityError
		f.Evidence = fmt.Sprintf("jurisdictions seen in %s: %s", region, k.regionJuris.list(region, 5))
		return []Finding{f}
	}
	return nil
}

func (k *CheckKnowledge) checkBook(i int, l DraftLine, cfg CheckConfig) []Finding {
	if l.PriceBook == "" {
		return nil
	}
	f := Finding{Check: CheckPriceBook, Field: fmt.Sprintf("lines[%d].price_book", i), Got: l.PriceBook}
	if b, n, total := k.subBook.best(l.Subscription); b != "" && b != l.PriceBook {
		f.Expected, f.Support, f.Severity = b, n, strong(n, total, cfg)
		f.Evidence = fmt.Sprintf("%s → %s in %s", l.Subscription, b, cases(n))
		return []Finding{f}
	}
	if n := k.bookFrom[l.PriceBook]; n >= cfg.MinSupport && k.bookTo[l.PriceBook] == 0 {
		f.Expected, f.Support, f.Severity = "a current price book", n, SeverityError
		f.Evidence = fmt.Sprintf("%s was replaced in %s and never chosen", l.PriceBook, cases(n))
		return []Finding{f}
	}
	return nil
}

// checkPeriod closes a period through the configured ClosedThrough, through
// the latest period the history saw closed, and, once the history shows
// how long after its end a period closes, that long after its end.
func (k *CheckKnowledge) checkPeriod(d Draft, now time.Time, cfg CheckConfig) []Finding {
	p, err := ParsePeriod(d.Period)
	if err != nil {
		return nil
	}
	f := Finding{Check: CheckPostingPeriod, Field: "period", Got: d.Period, Severity: SeverityError}
	if c, err := ParsePeriod(cfg.ClosedThrough); err == nil && !p.After(c) {
		f.Expected, f.Evidence = "a period after "+cfg.ClosedThrough, "closed through "+cfg.ClosedThrough+" by configuration"
		return []Finding{f}
	}
	if !k.closedMax.IsZero() && !p.After(k.closedMax) && !now.Before(k.closedMax) {
		f.Expected = "a period after " + k.closedMax.Format(periodLayout)
		f.Support = len(k.closeLags)
		f.Evidence = fmt.Sprintf("%s was closed when an invoice failed to post into it", k.closedMax.Format(periodLayout))
		return []Finding{f}
	}
	if len(k.closeLags) >= cfg.MinSupport {
		lag := k.closeLags[int(math.Floor(0.1*float64(len(k.closeLags)-1)))]
		if closes := p.AddDate(0, 1, 0).Add(time.Duration(lag * 24 * float64(time.Hour))); !now.Before(closes) {
			f.Expected, f.Support = "a period still open on "+now.Format(time.DateOnly), len(k.closeLags)
			f.Evidence = fmt.Sprintf("periods were closed %.0f days after their end in %s", lag, cases(len(k.closeLags)))
			return []Finding{f}
		}
	}
	return nil
}

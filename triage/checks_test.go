package triage_test

import (
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// checkHistory is a history in shapes the generator never makes: other
// customer ids, SKUs, entities and account names.
func checkHistory() triage.CheckHistory {
	day := func(d int) time.Time { return time.Date(2026, 3, d, 9, 0, 0, 0, time.UTC) }
	fact := func(cust, region, cur string, attrs map[string]any) triage.Facts {
		return triage.Facts{CustomerID: cust, Region: region, Currency: cur, Attributes: attrs}
	}
	var h triage.CheckHistory
	for i := range 4 {
		h.Cases = append(h.Cases,
			triage.CheckCase{Facts: fact("cust_zeta", "Benelux", "EUR", map[string]any{"entity": "NL-BV", "sku": "widget.pro/7"}), Type: triage.ERPPostingFailure, At: day(i + 1)},
			triage.CheckCase{Facts: fact("cust_omega", "Americas", "USD", map[string]any{"entity": "ACME-INC"}), Type: triage.ERPPostingFailure, At: day(i + 1)},
			triage.CheckCase{Facts: fact("cust_omega", "Americas", "USD", map[string]any{"jurisdiction": "XX-AA"}), Type: triage.TaxInconsistency, At: day(i + 1)})
	}
	// Two reposts name the period after their invoice's: whatever the
	// action is called, it moves a closed period's invoice.
	for i := range 2 {
		h.Cases = append(h.Cases, triage.CheckCase{Facts: fact("cust_zeta", "Benelux", "EUR", nil), Type: triage.ERPPostingFailure,
			Action: "shift_to_later_month", Params: map[string]any{"period": "2026-03"}, IssuedAt: time.Date(2026, 2, 27, 0, 0, 0, 0, time.UTC), At: day(i + 2)})
	}
	// The ERP failed twice for want of the mapping.
	for i := range 2 {
		h.Cases = append(h.Cases, triage.CheckCase{Facts: fact("cust_zeta", "Benelux", "EUR", map[string]any{"entity": "NL-BV", "sku": "widget.pro/7"}),
			Type: triage.ERPPostingFailure, At: day(i + 5), Params: map[string]any{"corrections": []any{
				map[string]any{"field": "gl_account", "key": "widget.pro/7@NL-BV", "from": "", "to": "REV:NL-BV:800"}}}})
	}
	// The ERP failed for want of a mapping nobody could give (reversed).
	h.Cases = append(h.Cases, triage.CheckCase{Facts: fact("cust_zeta", "Benelux", "EUR", map[string]any{"entity": "NL-BV", "sku": "orphan"}),
		Type: triage.ERPPostingFailure, At: day(7), Params: map[string]any{"corrections": []any{
			map[string]any{"field": "gl_account", "key": "orphan@NL-BV", "from": "", "to": "REV:NL-BV:999"}}}})
	cor := func(field, key, from, to string, d int) triage.Evidence {
		return triage.Evidence{Correction: triage.Correction{Field: field, Key: key, From: from, To: to}, At: day(d)}
	}
	for i := range 3 {
		h.Corrections = append(h.Corrections,
			cor("gl_account", "widget.pro/7@NL-BV", "", "REV:NL-BV:800", i+1),
			cor("account_id", "tenant~77", "tenant~77", "cust_omega", i+1),
			cor("tax_jurisdiction", "cust_zeta", "YY-BB", "YY-CC", i+1),
			cor("price_book", "deal#1", "BOOK-OLD", "BOOK-NEW", i+1),
			cor("gl_account", "gizmo@ACME-INC", "", "REV:ACME-INC:900", i+1))
	}
	reversed := day(9)
	wrong := cor("account_id", "tenant~88", "tenant~88", "cust_zeta", 1)
	wrong.ReversedAt = &reversed
	h.Corrections = append(h.Corrections, wrong)
	return h
}

func cleanDraft() triage.Draft {
	amt := 120.5
	return triage.Draft{ID: "draft/1", CustomerID: "cust_zeta", Entity: "NL-BV", Currency: "EUR", Region: "Benelux",
		TaxCode: "YY-CC", Period: "2026-04", PostingDate: time.Date(2026, 4, 3, 0, 0, 0, 0, time.UTC),
		Lines: []triage.DraftLine{{SKU: "widget.pro/7", Amount: &amt, GLAccount: "REV:NL-BV:800", PriceBook: "BOOK-NEW", Subscription: "deal#1"}}}
}

func TestTheChecksFindWhatTheHistoryContradicts(t *testing.T) {
	k := triage.LearnChecks(checkHistory())
	tests := []struct {
		name     string
		change   func(*triage.Draft)
		check    triage.Check
		field    string
		expected string
		evidence string
	}{
		{"revenue account", func(d *triage.Draft) { d.Lines[0].GLAccount = "REV:NL-BV:100" },
			triage.CheckRevenueAccount, "lines[0].gl_account", "REV:NL-BV:800", "widget.pro/7@NL-BV → REV:NL-BV:800 in 3 resolved cases"},
		{"no revenue account where none was ever mapped", func(d *triage.Draft) { d.Lines[0].SKU, d.Lines[0].GLAccount = "orphan", "" },
			triage.CheckRevenueAccount, "lines[0].gl_account", "a revenue account", "orphan@NL-BV failed to post for want of a revenue account in 1 resolved case"},
		{"account of another entity", func(d *triage.Draft) { d.Lines[0].SKU, d.Lines[0].GLAccount = "gadget", "REV:ACME-INC:800" },
			triage.CheckRevenueAccount, "lines[0].gl_account", "an account of entity NL-BV", "name their entity"},
		{"account key of another customer", func(d *triage.Draft) { d.AccountKey = "tenant~77" },
			triage.CheckCustomerMaster, "account_key", "cust_omega", "tenant~77 → cust_omega in 3 resolved cases"},
		{"unknown customer", func(d *triage.Draft) { d.CustomerID = "cust_nobody" },
			triage.CheckCustomerMaster, "customer_id", "a customer known to the customer master", "appears in none"},
		{"another entity", func(d *triage.Draft) { d.Entity = "ACME-INC"; d.Lines[0].GLAccount = "" },
			triage.CheckLegalEntity, "entity", "NL-BV", "cust_zeta posted to NL-BV in 7 resolved cases"},
		{"jurisdiction corrected away", func(d *triage.Draft) { d.TaxCode = "YY-BB" },
			triage.CheckTaxTreatment, "tax_code", "YY-CC", "corrected away from YY-BB"},
		{"price book of the contract", func(d *triage.Draft) { d.Lines[0].PriceBook = "BOOK-OTHER" },
			triage.CheckPriceBook, "lines[0].price_book", "BOOK-NEW", "deal#1 → BOOK-NEW in 3 resolved cases"},
		{"stale price book", func(d *triage.Draft) { d.Lines[0].Subscription, d.Lines[0].PriceBook = "", "BOOK-OLD" },
			triage.CheckPriceBook, "lines[0].price_book", "a current price book", "replaced in 3 resolved cases"},
		{"closed period", func(d *triage.Draft) { d.Period = "2026-02" },
			triage.CheckPostingPeriod, "period", "a period after 2026-02", "was closed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := cleanDraft()
			tc.change(&d)
			fs := k.CheckDraft(d, time.Time{}, triage.CheckConfig{})
			var hit *triage.Finding
			for i := range fs {
				if fs[i].Check == tc.check && fs[i].Field == tc.field {
					hit = &fs[i]
				}
			}
			if hit == nil {
				t.Fatalf("no %s finding on %s in %+v", tc.check, tc.field, fs)
			}
			if hit.Expected != tc.expected || !strings.Contains(hit.Evidence, tc.evidence) || hit.Severity != triage.SeverityError {
				t.Errorf("finding %+v, want expected %q, evidence with %q, severity error", *hit, tc.expected, tc.evidence)
			}
		})
	}
}

func TestACleanDraftHasNoFindings(t *testing.T) {
	k := triage.LearnChecks(checkHistory())
	if fs := k.CheckDraft(cleanDraft(), time.Time{}, triage.CheckConfig{}); len(fs) != 0 {
		t.Errorf("clean draft: %+v", fs)
	}
	// A reversed mapping is not evidence.
	d := cleanDraft()
	d.AccountKey = "tenant~88"
	if fs := k.CheckDraft(d, time.Time{}, triage.CheckConfig{}); len(fs) != 0 {
		t.Errorf("a key whose only mapping was reversed: %+v", fs)
	}
}

func TestTheConfiguredCloseClosesAPeriod(t *testing.T) {
	k := triage.LearnChecks(triage.CheckHistory{})
	d := cleanDraft()
	for _, tc := range []struct {
		through string
		want    int
	}{{"", 0}, {"2026-03", 0}, {"2026-04", 1}, {"2027-01", 1}} {
		fs := k.CheckDraft(d, time.Time{}, triage.CheckConfig{ClosedThrough: tc.through})
		if len(fs) != tc.want || (tc.want == 1 && fs[0].Check != triage.CheckPostingPeriod) {
			t.Errorf("closed through %q: %+v, want %d posting_period findings", tc.through, fs, tc.want)
		}
	}
}

func TestABadDraftIsRefusedNamingTheField(t *testing.T) {
	long := strings.Repeat("x", triage.MaxIDBytes+1)
	tests := []struct {
		change func(*triage.Draft)
		field  string
	}{
		{func(d *triage.Draft) { d.ID = "" }, "draft_id"},
		{func(d *triage.Draft) { d.CustomerID = " " }, "customer_id"},
		{func(d *triage.Draft) { d.Entity = "" }, "entity"},
		{func(d *triage.Draft) { d.Currency = "ZZZ" }, "currency"},
		{func(d *triage.Draft) { d.Period = "April" }, "period"},
		{func(d *triage.Draft) { d.Period = "2026-13" }, "period"},
		{func(d *triage.Draft) { d.TaxCode = long }, "tax_code"},
		{func(d *triage.Draft) { d.Lines = nil }, "lines"},
		{func(d *triage.Draft) { d.Lines = make([]triage.DraftLine, triage.MaxDraftLines+1) }, "lines"},
		{func(d *triage.Draft) { d.Lines[0].SKU = "" }, "lines[0].sku"},
		{func(d *triage.Draft) { d.Lines[0].GLAccount = long }, "lines[0].gl_account"},
		{func(d *triage.Draft) { nan := 2e12; d.Lines[0].Amount = &nan }, "lines[0].amount"},
		{func(d *triage.Draft) { d.PostingDate = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC) }, "posting_date"},
	}
	for _, tc := range tests {
		d := cleanDraft()
		tc.change(&d)
		if err := d.Validate(); triage.ErrorCode(err) != triage.EINVALID || triage.ErrorField(err) != tc.field {
			t.Errorf("want invalid %s, got %v", tc.field, err)
		}
	}
	d := cleanDraft()
	if err := d.Validate(); err != nil {
		t.Errorf("clean draft: %v", err)
	}
}

func TestCheckConfigIsValidated(t *testing.T) {
	for _, tc := range []struct {
		cfg   triage.CheckConfig
		field string
	}{
		{triage.CheckConfig{ClosedThrough: "2026/04"}, "closed_through"},
		{triage.CheckConfig{RaiseAt: "fatal"}, "raise_at"},
		{triage.CheckConfig{MinSupport: -1}, "min_support"},
		{triage.CheckConfig{ClosedThrough: "2026-04", RaiseAt: triage.SeverityWarning}, ""},
	} {
		if got := triage.ErrorField(tc.cfg.Validate()); got != tc.field {
			t.Errorf("%+v: field %q, want %q", tc.cfg, got, tc.field)
		}
	}
}

package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// TestSuggestionPanelShowsParameterSources checks that the exception page
// lists each suggested parameter with its source in words, marks a value
// the case's text contradicts in words (not colour alone), and prefills
// the edit form with the suggested values so a reviewer can correct them.
func TestSuggestionPanelShowsParameterSources(t *testing.T) {
	t.Parallel()
	f := setupUI(t)
	ctx := context.Background()
	if err := f.svc.ImportHistory(ctx, creditHistory(12)); err != nil {
		t.Fatal(err)
	}
	// The invoice field says INV-9001 and the text INV-9002.
	subs, err := f.svc.Submit(ctx, triage.System("test"), []triage.Exception{creditCase("INV-9001", "INV-9002", 412.5)})
	if err != nil {
		t.Fatal(err)
	}
	d := subs[0].Decision
	if d == nil || d.Action != creditAction || d.ParamSources["invoice_id"].TextSays != "INV-9002" {
		t.Fatalf("fixture decision %+v: want %s with the invoice contradicted by the text", d, creditAction)
	}
	c := f.signIn(t, triage.RoleAdmin)
	_, page := c.get(exceptionPath(subs[0].Exception.ID))
	mustContain(t, page,
		`<table class="data compact params"`,
		"from the case (invoice_id)", "from the case (amount)", "from the case (attributes.entity)",
		`<span class="badge badge-required">required</span>`,
		"confidence 0.93 · 12 cases",
		// The edit form starts from the suggested values, one field each.
		`<input type="hidden" name="param_name" value="invoice_id">`, `name="param_value" value="INV-9001"`,
		`<input type="hidden" name="param_name" value="entity">`, `name="param_value" value="UK02"`,
		`<input type="hidden" name="param_kind" value="number">`, `name="param_value" value="412.5"`)
	mustNotContain(t, page, `&#34;invoice_id&#34;: &#34;INV-9001&#34;`)
	row := regexp.MustCompile(`(?s)<tr class="param-disagrees">.*?</tr>`).FindString(page)
	if !strings.Contains(row, "<code>invoice_id</code>") || !strings.Contains(row, "<strong>Check:</strong> the text says <code>INV-9002</code>") {
		t.Errorf("the invoice row is not highlighted with the text's value in words:\n%s", row)
	}
	if n := strings.Count(page, `class="param-disagrees"`); n != 1 {
		t.Errorf("%d rows highlighted, want only the invoice's", n)
	}
	// The reasons name the disagreement too, so it is not only in the table.
	mustContain(t, page, "parameter invoice_id: invoice_id says INV-9001 but the text says INV-9002")

	// A constant every precedent of the action recorded is named as such.
	_, page = c.get(exceptionPath(f.finance[0]))
	mustContain(t, page, "<code>gl_account</code>", "4010-SaaS", "same in nearly every precedent")
	mustNotContain(t, page, `class="param-disagrees"`)
}

// TestPrecedentCorrectionsShowAsFields checks that a precedent's
// parameters, corrections included, are shown as named fields — not as
// the raw JSON the history stores, which the narrow column cut off
// (issue 17).
func TestPrecedentCorrectionsShowAsFields(t *testing.T) {
	t.Parallel()
	f := setupUI(t)
	ctx := context.Background()
	if err := f.svc.ImportHistory(ctx, correctedHistory(4)); err != nil {
		t.Fatal(err)
	}
	subs, err := f.svc.Submit(ctx, triage.System("test"), []triage.Exception{correctedCase("fields-1")})
	if err != nil {
		t.Fatal(err)
	}
	c := f.signIn(t, triage.RoleAdmin)
	_, page := c.get(exceptionPath(subs[0].Exception.ID))
	precedents := regexp.MustCompile(`(?s)<table class="data precedents">.*?</table>\s*</div>`).FindString(page)
	if precedents == "" {
		t.Fatalf("no precedents table:\n%s", page)
	}
	mustNotContain(t, precedents, `{&#34;`, `[{`)
	mustContain(t, precedents,
		`<dt>gl_account</dt><dd><code>4010-SaaS-Recurring-Subscription-Revenue</code></dd>`,
		`<dt>corrected gl_account</dt>`, `for <code>ENTERPRISE-ANNUAL-PREPAID-COMMIT-netsuite-subsidiary-00-`,
		`set to <code>4010-SaaS-Recurring-Subscription-Revenue</code>`)
}

// TestLookAlikeCandidatesListedForTheReviewer: three look-alike keys that
// map to one customer are named once in the reason, without a 0.00 score,
// and each is still listed, with its source, for the reviewer (issue 17).
func TestLookAlikeCandidatesListedForTheReviewer(t *testing.T) {
	t.Parallel()
	f := setupUI(t)
	ctx := context.Background()
	at := time.Now().Add(-30 * 24 * time.Hour)
	var hist []triage.Resolution
	for i, key := range []string{"acct_217", "acct_2171", "acct_2172"} {
		for j := range 3 {
			hist = append(hist, triage.Resolution{ExternalID: fmt.Sprintf("use-%d-%d", i, j), Type: triage.UsageMismatch,
				Text:      fmt.Sprintf("Usage events for unknown account %s rejected by rating: no customer mapping", key),
				RootCause: "unmapped_usage_account", Action: "map_usage_account", Queue: triage.QueueRevOps,
				Params:     map[string]any{"corrections": []any{map[string]any{"field": "account_id", "key": key, "from": key, "to": "C-1106"}}},
				OccurredAt: at.AddDate(0, 0, 3*i+j), ResolvedAt: at.AddDate(0, 0, 3*i+j)})
		}
	}
	if err := f.svc.ImportHistory(ctx, hist); err != nil {
		t.Fatal(err)
	}
	subs, err := f.svc.Submit(ctx, triage.System("test"), []triage.Exception{{Source: "usage-pipeline", ExternalID: "look-1",
		Type: triage.UsageMismatch, OccurredAt: time.Now().Add(-time.Hour),
		Text:       "Usage events for unknown account acct_2179 rejected by rating: no customer mapping",
		Attributes: map[string]any{"account_key": "acct_2179", "meter": "api_calls"}}})
	if err != nil {
		t.Fatal(err)
	}
	c := f.signIn(t, triage.RoleAdmin)
	_, page := c.get(exceptionPath(subs[0].Exception.ID))
	reasons := regexp.MustCompile(`(?s)<ul class="reasons">.*?</ul>`).FindString(page)
	if n := strings.Count(reasons, "C-1106"); n != 1 || strings.Contains(reasons, "0.00") {
		t.Errorf("the reasons name C-1106 %d times (want once, with no 0.00 score):\n%s", n, reasons)
	}
	mustContain(t, reasons, "C-1106 (not scored: 3 look-alikes)")
	table := regexp.MustCompile(`(?s)<details class="more enrich-candidates">.*?</details>`).FindString(page)
	mustContain(t, table, "Corrections considered for account_id", "similar known identifier acct_217 ", "similar known identifier acct_2171",
		"similar known identifier acct_2172", "not scored")
}

// TestEditFormResolvesWithParameterFields: the edit form's per-parameter
// fields are what the resolution stores — a corrected value, a number kept
// a number, an emptied field left out, and a new key from the JSON box —
// and a field that cannot be read is refused with the typed values kept.
func TestEditFormResolvesWithParameterFields(t *testing.T) {
	t.Parallel()
	f := setupUI(t)
	ctx := context.Background()
	if err := f.svc.ImportHistory(ctx, creditHistory(12)); err != nil {
		t.Fatal(err)
	}
	subs, err := f.svc.Submit(ctx, triage.System("test"), []triage.Exception{creditCase("INV-9001", "INV-9002", 412.5)})
	if err != nil {
		t.Fatal(err)
	}
	id := subs[0].Exception.ID
	c := f.signIn(t, triage.RoleAdmin)
	c.get(exceptionPath(id))
	form := func(amount string) url.Values {
		return url.Values{"verdict": {"edit"}, "root_cause": {creditCause}, "action": {creditAction},
			"param_name":  {"amount", "entity", "invoice_id"},
			"param_kind":  {"number", "string", "string"},
			"param_value": {amount, "", "INV-9002"},
			"params":      {`{"ticket": "SUP-77"}`}}
	}
	resp, page := c.post(exceptionPath(id)+"/resolution", form("four hundred"))
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("a bad number: status %d, want 400", resp.StatusCode)
	}
	mustContain(t, page, "must be a number", `name="param_value" value="four hundred"`, `name="param_value" value="INV-9002"`)
	assertStatus(t, f, id, triage.StatusQueued)

	resp, _ = c.post(exceptionPath(id)+"/resolution", form("400.25"))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("resolve: status %d, want 303 to the page", resp.StatusCode)
	}
	d, err := f.svc.Exception(ctx, triage.System("test"), id)
	if err != nil || d.Resolution == nil {
		t.Fatalf("no stored resolution: %v", err)
	}
	p := d.Resolution.Params
	if p["amount"] != 400.25 || p["invoice_id"] != "INV-9002" || p["ticket"] != "SUP-77" {
		t.Errorf("stored params %v", p)
	}
	if _, ok := p["entity"]; ok {
		t.Errorf("an emptied field was stored: %v", p)
	}
}

package api_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

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
		// The edit form starts from the suggested values.
		`&#34;invoice_id&#34;: &#34;INV-9001&#34;`, `&#34;entity&#34;: &#34;UK02&#34;`)
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

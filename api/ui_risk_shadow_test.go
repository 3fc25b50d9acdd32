package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/billtriage/billtriage/triage"
)

// The policy page shows the running risk-model shadow's report to admins
// and analysts; only an admin gets its promote and discard forms, and
// promoting through the page makes the shadow's model the active one.
func TestPolicyPageShowsTheRiskModelShadow(t *testing.T) {
	f := setupUI(t)
	ctx := context.Background()
	from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, v := range []string{"risk-old", "risk-new"} {
		if err := f.store.SaveModel(ctx, triage.RiskModel{Version: v, Family: "logistic", FeatureHash: "abc123", Features: []string{"amount_usd"},
			LateDays: 30, TrainedFrom: from, TrainedTo: from.AddDate(0, 6, 0), Metrics: map[string]any{}, Body: []byte("{}")}); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.store.ActivateModel(ctx, "risk-old"); err != nil {
		t.Fatal(err)
	}
	admin := f.signIn(t, triage.RoleAdmin)
	if _, body := admin.get("/ui/policy"); strings.Contains(body, `id="model-shadow-report"`) {
		t.Error("the page shows a risk-model shadow while none runs")
	}
	sh, err := f.svc.StartModelShadow(ctx, triage.Principal{KeyID: 1, Name: "t", Role: triage.RoleAdmin}, "risk-new", "compare")
	if err != nil {
		t.Fatal(err)
	}
	promote := fmt.Sprintf("/ui/policy/model-shadow/%d/promote", sh.ID)
	status, body := admin.get("/ui/policy")
	if status != http.StatusOK {
		t.Fatalf("admin: %d", status)
	}
	mustContain(t, body, `id="model-shadow-report"`, "Shadow risk model <code>risk-new</code>", "<code>risk-old</code>", promote, `id="discard-model"`)
	analyst := f.signIn(t, triage.RoleAnalyst)
	status, body = analyst.get("/ui/policy")
	if status != http.StatusOK {
		t.Fatalf("analyst: %d", status)
	}
	mustContain(t, body, `id="model-shadow-report"`, "risk-new")
	mustNotContain(t, body, promote)
	if resp, _ := analyst.post(promote, url.Values{}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("the analyst promotes through the page: %d", resp.StatusCode)
	}
	resp, _ := admin.post(promote, url.Values{"reason": {"better"}})
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/ui/policy?done=model-promoted" {
		t.Errorf("promote through the page: %d to %q", resp.StatusCode, loc)
	}
	if _, body := admin.get("/ui/policy?done=model-promoted"); !strings.Contains(body, "The shadow risk model is now the active one.") ||
		strings.Contains(body, `id="model-shadow-report"`) {
		t.Error("after promotion the page lacks the notice or still shows the shadow")
	}
	if v, err := f.store.ActiveModelVersion(ctx); err != nil || v != "risk-new" {
		t.Errorf("active model after the page's promotion: %q (%v)", v, err)
	}
	if resp, body := admin.post(promote, url.Values{}); resp.StatusCode != http.StatusConflict || !strings.Contains(body, "promoted already") {
		t.Errorf("promoting again through the page: %d", resp.StatusCode)
	}
}

// TestRiskModelShadowInBrowser shows a risk-model shadow's report with
// figures on two invoices whose outcome is known, in headless Chromium,
// and promotes it from the page. The screenshot is policy-model-shadow.
func TestRiskModelShadowInBrowser(t *testing.T) {
	t.Parallel()
	bin := chromium(t)
	f := setupUI(t)
	ctx := context.Background()
	from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, v := range []string{"risk-old", "risk-new"} {
		if err := f.store.SaveModel(ctx, triage.RiskModel{Version: v, Family: "logistic", FeatureHash: "abc123", Features: []string{"amount_usd"},
			LateDays: 30, TrainedFrom: from, TrainedTo: from.AddDate(0, 6, 0), Metrics: map[string]any{}, Body: []byte("{}")}); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.store.ActivateModel(ctx, "risk-old"); err != nil {
		t.Fatal(err)
	}
	sys := triage.Principal{KeyID: 1, Name: "t", Role: triage.RoleAdmin}
	sh, err := f.svc.StartModelShadow(ctx, sys, "risk-new", "calibration")
	if err != nil {
		t.Fatal(err)
	}
	// One invoice paid early, one never paid, both long past due.
	due := time.Now().AddDate(0, -4, 0).UTC()
	paid := due.AddDate(0, 0, -1)
	invs := []triage.Invoice{
		{InvoiceID: "N°7/a", CustomerID: "ö-1", IssuedAt: due.AddDate(0, -1, 0), DueAt: due, Amount: 5, Currency: "EUR", PaidAt: &paid},
		{InvoiceID: "N°7/b", CustomerID: "ö-1", IssuedAt: due.AddDate(0, -1, 0), DueAt: due, Amount: 6, Currency: "EUR"},
	}
	if err := f.store.UpsertInvoices(ctx, invs); err != nil {
		t.Fatal(err)
	}
	for i, sc := range [][2]float64{{0.2, 0.1}, {0.6, 0.9}} {
		d, err := f.svc.Exception(ctx, sys, submitERP(t, f, fmt.Sprint("ms-", i), 90))
		if err != nil {
			t.Fatal(err)
		}
		if err := f.store.SaveModelShadowScore(ctx, triage.ModelShadowScore{ShadowID: sh.ID, ExceptionID: d.Exception.ID, DecisionID: d.Decision.ID,
			InvoiceID: invs[i].InvoiceID, Type: d.Exception.Type, ActiveVersion: "risk-old", ActiveScore: sc[0], ActiveOutcome: d.Decision.Outcome,
			ActiveQueue: d.Decision.AssignedQueue, CandidateVersion: "risk-new", CandidateScore: sc[1], CandidateOutcome: d.Decision.Outcome,
			CandidateQueue: d.Decision.AssignedQueue, DecidedAt: d.Decision.DecidedAt}); err != nil {
			t.Fatal(err)
		}
	}
	b := newBrowser(t, bin, f.srv.URL)
	tab := b.tab(t)
	tab.do(chromedp.EmulateViewport(1280, 900))
	tab.signIn(f.keys[triage.RoleAdmin], "")
	tab.waitFor("main", "")
	tab.open("/ui/policy", 200)
	tab.waitFor("#model-shadow-report", "policy-model-shadow")
	// Brier (0.2² + 0.4²)/2 = 0.100 for the active model, (0.1² + 0.1²)/2
	// = 0.010 for the shadow; both rank the late invoice first.
	tab.mustSee("#model-shadow-report", "risk-new", "risk-old", "0.100 [", "0.010 [", "1.000 [", "2 (1 late)", "Promote model to active")
	tab.click("#promote-model", 200)
	tab.waitFor(".alert-ok", "")
	tab.mustSee(".alert-ok", "shadow risk model is now the active one")
	if v, err := f.store.ActiveModelVersion(ctx); err != nil || v != "risk-new" {
		t.Errorf("active model after promotion %q (%v)", v, err)
	}
}

package api_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/billtriage/billtriage/triage"
)

// TestPolicyPageInBrowser drives the policy page in headless Chromium: an
// activation without a preview is refused with the reason, a preview of a
// looser threshold names the item that changes, activation after it
// works, the history shows the diff, and a shadow's report shows beside
// the active policy. Screenshots go to var/test-output/screenshots.
func TestPolicyPageInBrowser(t *testing.T) {
	t.Parallel()
	bin := chromium(t)
	f := setupUI(t)
	// An item the default threshold just holds back.
	held := submitERP(t, f, "held-1", 90)
	assertStatus(t, f, held, triage.StatusQueued)
	loose := triage.DefaultPolicy()
	loose.DefaultThreshold = 0.8
	b := newBrowser(t, bin, f.srv.URL)
	tab := b.tab(t)
	tab.do(chromedp.EmulateViewport(1280, 900))
	tab.signIn(f.keys[triage.RoleAdmin], "")
	tab.waitFor("main", "")
	tab.open("/ui/policy", 200)
	tab.waitFor("#policy-json", "")
	tab.do(chromedp.SetValue(chromedp.ID("policy-json"), string(loose.MarshalIndented())))
	// Activate before any preview: refused, with the reason.
	tab.click("#activate", 409)
	tab.waitFor("#policy-error", "policy-activate-refused")
	tab.mustSee("#policy-error", "preview_id", "needs a preview")
	if got := f.svc.Policy().DefaultThreshold; got != triage.DefaultPolicy().DefaultThreshold {
		t.Fatalf("a refused activation changed the threshold to %v", got)
	}
	tab.do(chromedp.SetValue(chromedp.ID("policy-json"), string(loose.MarshalIndented())))
	tab.click("#preview", 200)
	tab.waitFor("#preview-result", "policy-preview")
	tab.mustSee("#preview-result", "default_threshold", "0.85", "0.8", "Items that change (1)")
	if n := tab.count(`#preview-result a[href="` + exceptionPath(held) + `"]`); n != 1 {
		t.Errorf("the preview links the changed item %d times, want once", n)
	}
	tab.click("#activate", 200)
	tab.waitFor(".alert-ok", "")
	tab.mustSee(".alert-ok", "now the policy in force")
	if got := f.svc.Policy().DefaultThreshold; got != 0.8 {
		t.Errorf("threshold in force %v after activation, want 0.8", got)
	}
	tab.mustSee(".versions-table", "activate", "admin:test-admin", "preview #")
	tab.click(".versions-table tr.active-version a", 200)
	tab.waitFor("#version-diff", "policy-diff")
	tab.mustSee("#version-diff", "default_threshold", "0.85", "0.8")

	// A candidate that also automates larger amounts, in shadow: its
	// decisions show beside the active one's, and people's verdicts give
	// each its precision.
	wider := triage.DefaultPolicy()
	wider.DefaultThreshold, wider.MaxAutoAmount = 0.8, 100000
	tab.do(chromedp.SetValue(chromedp.ID("policy-json"), string(wider.MarshalIndented())))
	tab.click("#preview", 200)
	tab.waitFor("#shadow", "")
	tab.click("#shadow", 200)
	tab.waitFor("#shadow-report", "")
	ctx, sys := context.Background(), triage.System("test")
	big, auto := submitERP(t, f, "held-2", 40000), submitERP(t, f, "held-3", 90)
	assertStatus(t, f, big, triage.StatusQueued)
	assertStatus(t, f, auto, triage.StatusAutoEnriched)
	if _, _, err := f.svc.Resolve(ctx, sys, big, triage.ResolutionInput{Verdict: triage.VerdictAccept}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Revert(ctx, sys, auto, "wrong GL account"); err != nil {
		t.Fatal(err)
	}
	tab.open("/ui/policy", 200)
	tab.waitFor("#shadow-report", "policy-shadow")
	// Two decisions, one agreement; the active policy automated one item
	// (reverted: 0 of 1 right), the shadow both (1 of 2 right).
	tab.mustSee("#shadow-report", "Decisions seen", "50.0%", "0.000 [0.000, 0.793] (n=1)", "0.500 [", "(n=2)", "Promote to active")
	tab.click("#promote", 200)
	tab.waitFor(".alert-ok", "")
	tab.mustSee(".alert-ok", "shadow policy is now in force")
	if got := f.svc.Policy().MaxAutoAmount; got != 100000 || f.svc.RunningShadow() != nil {
		t.Errorf("after promotion: max_auto_amount %v, shadow %v", got, f.svc.RunningShadow())
	}
	tab.mustSee(".versions-table", "promote", "shadow #")
}

// submitERP submits an ERP failure the fixture's history explains with a
// confidence just under the default threshold (see autoItem), for amount.
func submitERP(t *testing.T, f *uiFixture, ext string, amount float64) int64 {
	t.Helper()
	subs, err := f.svc.Submit(context.Background(), triage.System("test"), []triage.Exception{{Source: "erp-connector", ExternalID: ext,
		Type: triage.ERPPostingFailure, OccurredAt: time.Now().Add(-time.Hour), CustomerID: "C-1042", InvoiceID: "INV-7009",
		Text:   "NetSuite posting failed for invoice INV-1003: no GL account mapped for SKU API-PLUS (subsidiary US00)",
		Amount: &amount, Currency: "USD"}})
	if err != nil {
		t.Fatal(err)
	}
	return subs[0].Exception.ID
}

package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/billtriage/billtriage/triage"
)

// TestNoPageWiderThanViewportInBrowser visits every page of the UI at
// 1280 × 800 with every disclosure open — the sign-in page, a queue, an
// exception whose precedents carry corrections and long codes, the
// dispute form and its result, the dashboard, the auto-enriched view, a
// bulk confirmation and the deliveries — and fails for any page wider
// than the viewport (issue 17: "never scrolls sideways at 1,280 px").
func TestNoPageWiderThanViewportInBrowser(t *testing.T) {
	t.Parallel()
	bin := chromium(t)
	f := setupUI(t)
	auto := f.autoItem(t, "auto-wide") // before the history below changes its confidence
	ctx := context.Background()
	if err := f.svc.ImportHistory(ctx, correctedHistory(6)); err != nil {
		t.Fatal(err)
	}
	subs, err := f.svc.Submit(ctx, triage.System("test"), []triage.Exception{correctedCase("wide-1")})
	if err != nil {
		t.Fatal(err)
	}
	wide := subs[0].Exception.ID
	b := newBrowser(t, bin, f.srv.URL)
	tab := b.tab(t)
	tab.do(chromedp.EmulateViewport(1280, 800))

	check := func(name string) {
		t.Helper()
		// Open every disclosure: a closed one hides what would widen the page.
		tab.eval(`document.querySelectorAll("details").forEach(d => d.open = true)`)
		got := tab.eval(`document.scrollingElement.scrollWidth + " " + window.innerWidth`)
		var scroll, inner int
		if _, err := fmt.Sscan(got, &scroll, &inner); err != nil {
			t.Fatal(err)
		}
		if scroll > inner {
			tab.shot("width-" + name)
			t.Errorf("%s is %d px wide in a %d px viewport: it scrolls sideways; past the edge: %s", name, scroll, inner, tab.eval(overflowing))
		}
	}

	tab.open("/ui/login", 200)
	tab.waitFor("#key", "")
	check("login")
	tab.do(chromedp.SendKeys(chromedp.ID("key"), f.keys[triage.RoleAdmin]))
	tab.click(`form[action="/ui/login"] button[type=submit]`, 200)
	tab.waitFor("main", "")

	tab.open("/ui/queues/finance", 200)
	tab.waitFor("table.queue-table", "")
	check("queue")

	tab.open(exceptionPath(wide), 200)
	tab.waitFor("table.precedents", "")
	tab.mustSee("table.precedents", "4010-SaaS-Recurring-Subscription-Revenue")
	tab.mustSee("main", "Candidates considered")
	check("exception")

	tab.open(exceptionPath(auto), 200)
	tab.waitFor("main", "")
	check("auto-enriched exception")

	tab.open("/ui/dispute", 200)
	tab.waitFor("#email", "")
	check("dispute")
	tab.do(chromedp.SetValue(chromedp.ID("email"), disputeEmail), chromedp.SetValue(chromedp.ID("customer_id"), "C-5150"))
	tab.click(`form[action="/ui/dispute"] button[type=submit]`, 200)
	tab.waitFor("#result", "")
	check("dispute result")

	tab.open("/ui/dashboard", 200)
	tab.waitFor("svg.chart", "")
	check("dashboard")

	tab.open("/ui/auto", 200)
	tab.waitFor("#revert-"+itoa(auto), "")
	check("auto-enriched view")

	tab.open("/ui/deliveries", 200)
	tab.waitFor("main", "")
	check("deliveries")

	tab.open("/ui/policy", 200)
	tab.waitFor("#policy-json", "")
	tab.click("#preview", 200)
	tab.waitFor("#preview-result", "")
	check("policy preview")

	tab.open("/ui/queues/finance", 200)
	tab.waitFor("#bulk-review", "")
	for _, id := range append([]int64{wide}, f.finance...) {
		tab.do(chromedp.Click(chromedp.CSS(`input[form="bulk"][value="`+itoa(id)+`"]`), chromedp.NodeVisible))
	}
	tab.click("#bulk-review", 200)
	tab.waitFor("#bulk-apply", "")
	check("bulk confirmation")
}

// overflowing names the innermost elements that reach past the viewport's
// right edge, so a failure says what to fix.
const overflowing = `Array.from(document.querySelectorAll("body *")).filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 &&
	!Array.from(e.children).some(c => c.getBoundingClientRect().right > window.innerWidth + 1)).slice(0, 5).
	map(e => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).trim().split(/\\s+/).join(".") : "") +
		" (" + Math.round(e.getBoundingClientRect().right) + " px)").join(", ")`

// correctedHistory is n ERP failures resolved with a long GL account and
// the field corrections the resolution made, as the history stores them.
func correctedHistory(n int) []triage.Resolution {
	at := time.Now().Add(-48 * time.Hour)
	var hs []triage.Resolution
	for i := range n {
		key := fmt.Sprintf("netsuite-subsidiary-%02d-%s", i, strings.Repeat("x", 40))
		hs = append(hs, triage.Resolution{ExternalID: fmt.Sprint("corr-", i), Type: triage.ERPPostingFailure,
			Text:      fmt.Sprintf("NetSuite posting failed for invoice INV-3%03d: no GL account mapped for SKU ENTERPRISE-ANNUAL-PREPAID-COMMIT (subsidiary %s)", i, key),
			RootCause: "missing_gl_mapping_for_enterprise_prepaid_commit_sku", Action: "add_gl_mapping_and_repost_invoice_to_netsuite",
			Params: map[string]any{"gl_account": "4010-SaaS-Recurring-Subscription-Revenue", "subsidiary": key,
				"corrections": []any{map[string]any{"field": "gl_account", "key": "ENTERPRISE-ANNUAL-PREPAID-COMMIT-" + key, "from": "", "to": "4010-SaaS-Recurring-Subscription-Revenue"}}},
			Queue: triage.QueueFinance, OccurredAt: at, ResolvedAt: at.Add(time.Hour)})
	}
	return hs
}

// correctedCase is a new ERP failure like correctedHistory's, large
// enough to wait for a person.
func correctedCase(ext string) triage.Exception {
	amt := 52000.0
	return triage.Exception{Source: "erp-connector", ExternalID: ext, Type: triage.ERPPostingFailure, OccurredAt: time.Now().Add(-2 * time.Hour),
		Text:       "NetSuite posting failed for invoice INV-3999: no GL account mapped for SKU ENTERPRISE-ANNUAL-PREPAID-COMMIT (subsidiary netsuite-subsidiary-07)",
		CustomerID: "C-4242", InvoiceID: "INV-3999", Amount: &amt, Currency: "USD"}
}

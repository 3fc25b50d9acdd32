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

// TestQueueWorkbenchInBrowser drives the finance queue's workbench in
// headless Chromium at 1280 × 800: search, a filter, a sortable column,
// keyboard navigation (j, k, o) and the ? help, and checks the list never
// scrolls sideways even with a long unbroken log line (issue 17). The
// queue page is saved as var/test-output/screenshots/queue.png.
func TestQueueWorkbenchInBrowser(t *testing.T) {
	t.Parallel()
	bin := chromium(t)
	f := setupUI(t)
	amount := func(v float64) *float64 { return &v }
	// More finance items: a log line with no space to break at, and
	// amounts spread so the amount order is plain.
	logLine := "ERP_SYNC_FAILURE:" + strings.Repeat("stacktrace.frame.NetSuiteConnector$PostingWorker", 6)
	var extra []triage.Exception
	for i, a := range []float64{26500, 90000, 41000} {
		extra = append(extra, triage.Exception{Source: "erp-connector", ExternalID: fmt.Sprint("wb-", i), Type: triage.ERPPostingFailure,
			OccurredAt: time.Now().Add(-time.Duration(10+i) * time.Hour),
			Text:       fmt.Sprintf("NetSuite posting failed for invoice INV-75%02d: no GL account mapped for SKU API-PLUS (subsidiary US01) %s", i, logLine),
			CustomerID: fmt.Sprintf("C-90%02d", i), InvoiceID: fmt.Sprintf("INV-75%02d", i), Amount: amount(a), Currency: "USD"})
	}
	subs, err := f.svc.Submit(context.Background(), triage.System("test"), extra)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range subs {
		if s.Exception.Queue != triage.QueueFinance || s.Exception.Status != triage.StatusQueued {
			t.Fatalf("extra case %s is %s in %q, want queued in finance", s.Exception.ExternalID, s.Exception.Status, s.Exception.Queue)
		}
	}
	b := newBrowser(t, bin, f.srv.URL)
	tab := b.tab(t)
	tab.do(chromedp.EmulateViewport(1280, 800))
	tab.signIn(f.keys[triage.RoleFinance], "")
	tab.waitFor("table.queue-table", "queue")
	tab.mustSee("#queue-total", "5")
	tab.mustSee("table.queue-table", "amount limit")
	noSidewaysScroll(t, tab, "the queue page")

	// "/" focuses the search; typing and Enter searches.
	tab.do(chromedp.KeyEvent("/"))
	if active := tab.eval(`document.activeElement.id`); active != "search" {
		t.Fatalf("/ focused %q, want the search box", active)
	}
	tab.do(chromedp.SendKeys(chromedp.ID("search"), "inv-7501"))
	tab.click(`form.filters button[type=submit]`, 200)
	tab.waitFor("table.queue-table", "queue-search")
	if ids := tab.rowIDs(); len(ids) != 1 || ids[0] != fmt.Sprint(subs[1].Exception.ID) {
		t.Errorf("search for inv-7501 listed %v, want only #%d", ids, subs[1].Exception.ID)
	}
	tab.mustSee("#queue-total", "1")

	// A filter: the customer, under More filters.
	tab.open("/ui/queues/finance", 200)
	tab.waitFor("table.queue-table", "")
	tab.do(chromedp.Click(chromedp.CSS("details.more-filters summary")))
	tab.waitFor("#customer", "")
	tab.do(chromedp.SendKeys(chromedp.ID("customer"), "C-9002"))
	tab.click(`form.filters button[type=submit]`, 200)
	tab.waitFor("table.queue-table", "queue-filter")
	if ids := tab.rowIDs(); len(ids) != 1 || ids[0] != fmt.Sprint(subs[2].Exception.ID) {
		t.Errorf("customer filter listed %v, want only #%d", ids, subs[2].Exception.ID)
	}

	// Sort by amount: the header's link, then again for the other way.
	tab.open("/ui/queues/finance", 200)
	tab.waitFor("table.queue-table", "")
	tab.click(`th.col-amount a.sort`, 200)
	tab.waitFor(`th.col-amount[aria-sort]`, "queue-sorted")
	first := tab.amounts()
	tab.click(`th.col-amount a.sort`, 200)
	tab.waitFor(`th.col-amount[aria-sort]`, "")
	second := tab.amounts()
	if !sortedBy(first, func(a, b float64) bool { return a >= b }) || !sortedBy(second, func(a, b float64) bool { return a <= b }) ||
		len(first) != 5 {
		t.Errorf("amount order: first click %v (want largest first), second %v (want smallest first)", first, second)
	}

	// Keyboard: j, j, k lands on the second row; o opens it.
	ids := tab.rowIDs()
	tab.do(chromedp.KeyEvent("j"), chromedp.KeyEvent("j"), chromedp.KeyEvent("j"), chromedp.KeyEvent("k"))
	if cur := tab.eval(`document.querySelector("tr.kb-current").dataset.id`); cur != ids[1] {
		t.Errorf("after j j j k the current row is #%s, want #%s (the second)", cur, ids[1])
	}
	tab.do(chromedp.KeyEvent("?"))
	tab.waitFor("#kb-help", "queue-help")
	tab.mustSee("#kb-help", "next item", "open the item", "search")
	tab.do(chromedp.KeyEvent(kbEscape))
	tab.do(chromedp.WaitNotVisible(chromedp.ID("kb-help")))
	tab.do(chromedp.KeyEvent("o"))
	tab.do(chromedp.WaitVisible(chromedp.ID("accept")))
	if loc := tab.eval(`location.pathname`); loc != "/ui/exceptions/"+ids[1] {
		t.Errorf("o opened %s, want /ui/exceptions/%s", loc, ids[1])
	}
}

// kbEscape is the Escape key as chromedp.KeyEvent types it.
const kbEscape = "\u001b"

// noSidewaysScroll fails the test if the page is wider than the viewport.
func noSidewaysScroll(t *testing.T, tab *tab, what string) {
	t.Helper()
	w := tab.eval(`document.documentElement.scrollWidth + " " + document.documentElement.clientWidth`)
	var scroll, client int
	if _, err := fmt.Sscan(w, &scroll, &client); err != nil {
		t.Fatal(err)
	}
	if scroll > client {
		t.Errorf("%s is %d px wide in a %d px viewport: it scrolls sideways", what, scroll, client)
	}
}

// eval returns a JavaScript expression's value as a string.
func (p *tab) eval(expr string) string {
	p.t.Helper()
	s, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`String(`+expr+`)`))
	if err != nil {
		p.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return s
}

// rowIDs lists the queue list's item ids in order.
func (p *tab) rowIDs() []string {
	s := p.eval(`Array.from(document.querySelectorAll("table.queue-table tbody tr")).map(r => r.dataset.id).join(" ")`)
	return strings.Fields(s)
}

// amounts lists the queue list's amounts in order.
func (p *tab) amounts() []float64 {
	// The amount column's place depends on the columns shown (a bulk
	// checkbox column comes first for a team that can work the queue).
	s := p.eval(`(() => { const col = Array.from(document.querySelectorAll("table.queue-table thead th")).findIndex(th => th.classList.contains("col-amount")) + 1;
		return Array.from(document.querySelectorAll("table.queue-table tbody tr td:nth-child(" + col + ")")).map(c => c.textContent.replace(/[^0-9.]/g, "")).join(" ") })()`)
	var out []float64
	for _, f := range strings.Fields(s) {
		var v float64
		fmt.Sscan(f, &v)
		out = append(out, v)
	}
	return out
}

func sortedBy(xs []float64, ok func(a, b float64) bool) bool {
	for i := 1; i < len(xs); i++ {
		if !ok(xs[i-1], xs[i]) {
			return false
		}
	}
	return true
}

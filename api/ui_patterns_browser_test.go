package api_test

import (
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/billtriage/billtriage/triage"
)

// TestPatternsInBrowser drives the Patterns page in headless Chromium at
// 1280 × 800: a finance analyst sees the spike banner, finds the rising
// pattern with its sparkline and breakdown, previews "resolve all like
// this" and applies it. The pages are saved as patterns.png and
// pattern-detail.png under var/test-output/screenshots (the README's
// copies are in docs/screenshots).
func TestPatternsInBrowser(t *testing.T) {
	t.Parallel()
	bin := chromium(t)
	f := setupPatterns(t, true)
	b := newBrowser(t, bin, f.ui.srv.URL)
	tab := b.tab(t)
	tab.do(chromedp.EmulateViewport(1280, 800))
	tab.signIn(f.ui.keys[triage.RoleFinance], "")
	tab.waitFor("#spike-banner", "")
	tab.mustSee("#spike-banner", "spike", "revenue_account_unmapped", "ledger=QX-4")
	tab.click(`a[href="/ui/patterns"]`, http.StatusOK)
	tab.waitFor("#patterns svg.spark polyline", "")
	tab.shot("patterns")
	tab.mustSee("#patterns", "revenue_account_unmapped", "spike: 9 vs", "payment_misapplied")
	tab.mustSee("#spikes", "ledger=QX-4")
	tab.click(`#patterns a[href^="/ui/patterns/p"]`, http.StatusOK)
	tab.waitFor("#breakdown", "")
	tab.mustSee("#breakdown", "ledger", "QX-4", "item", "WIDGET-0", "source", "ledgerly-sync")
	tab.mustSee("#pattern-spike", "9 between")
	tab.mustSee("main", "Open items", "J/700/77", "map_revenue_account")
	tab.shot("pattern-detail")
	tab.click("#resolve-preview", http.StatusOK)
	tab.waitFor("#resolve-summary", "")
	tab.mustSee("#resolve-summary", "3 of 3 open items would be resolved")
	for _, id := range f.open {
		assertStatus(t, f.ui, id, triage.StatusQueued)
	}
	tab.click("#resolve-apply", http.StatusOK)
	tab.waitFor("#resolve-summary", "")
	tab.mustSee("#resolve-summary", "3 of 3 open items resolved")
	for _, id := range f.open {
		assertStatus(t, f.ui, id, triage.StatusResolved)
	}
}

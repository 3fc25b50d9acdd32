package api_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/billtriage/billtriage/triage"
)

// TestWorkbenchInBrowser drives the workbench in headless Chromium at
// 1280 × 800: a finance analyst claims an item and comments on it, accepts
// two items in bulk through the confirmation page, and reverts an
// automatic enrichment from the auto-enriched view. Each step saves a
// 1280 × 800 screenshot under var/test-output/screenshots and checks the
// page does not scroll sideways.
func TestWorkbenchInBrowser(t *testing.T) {
	t.Parallel()
	bin := chromium(t)
	f := setupUI(t)
	auto := f.autoItem(t, "auto-browser")
	b := newBrowser(t, bin, f.srv.URL)
	start := func(t *testing.T, role triage.Role) *tab {
		tab := b.tab(t)
		tab.do(chromedp.EmulateViewport(1280, 800))
		tab.signIn(f.keys[role], "")
		tab.waitFor("main", "")
		return tab
	}

	t.Run("claim and comment", func(t *testing.T) {
		tab := start(t, triage.RoleFinance)
		id := f.finance[0]
		tab.open(exceptionPath(id), 200)
		tab.waitFor("#claim", "")
		tab.shot("20-detail-unclaimed")
		tab.click("#claim", 200)
		tab.waitFor(".alert-ok", "")
		tab.mustSee("#assignee", "test-finance", "(you)")
		tab.do(chromedp.SendKeys(chromedp.ID("comment-body"), "Asked the controller which GL account SKU API-PLUS should use."))
		tab.click("#comment", 200)
		tab.waitFor("#comments .comment", "")
		tab.do(chromedp.ScrollIntoView(chromedp.ID("comments")))
		tab.shot("21-detail-claimed-commented")
		tab.mustSee("#comments", "finance:test-finance", "Asked the controller")
		tab.mustSee(".audit", "assigned", "commented")
		tab.open("/ui/queues/finance", 200)
		tab.waitFor("table.queue-table", "")
		tab.mustSee("table.queue-table", "@test-finance")
	})

	t.Run("bulk accept with its confirmation", func(t *testing.T) {
		tab := start(t, triage.RoleFinance)
		tab.open("/ui/queues/finance", 200)
		tab.waitFor("#bulk-review", "")
		for _, id := range f.finance {
			tab.do(chromedp.Click(chromedp.CSS(`input[form="bulk"][value="`+itoa(id)+`"]`), chromedp.NodeVisible))
		}
		tab.shot("22-queue-bulk-ticked")
		tab.click("#bulk-review", 200)
		tab.waitFor("#bulk-apply", "")
		tab.shot("23-bulk-confirm")
		tab.mustSee("main", "Confirm: accept the suggestion", "2 of 2 items will change", "Resolve as missing_gl_mapping with add_gl_mapping")
		assertStatus(t, f, f.finance[0], triage.StatusQueued) // nothing applied before the confirmation
		tab.click("#bulk-apply", 200)
		tab.waitFor("#bulk-summary", "")
		tab.shot("24-bulk-done")
		tab.mustSee("#bulk-summary", "2 of 2 items changed")
		for _, id := range f.finance {
			assertStatus(t, f, id, triage.StatusResolved)
		}
	})

	t.Run("revert from the auto-enriched view", func(t *testing.T) {
		tab := start(t, triage.RoleFinance)
		tab.click(`a[href="/ui/auto"]`, 200)
		tab.waitFor("#revert-"+itoa(auto), "")
		tab.shot("25-auto-enriched")
		tab.mustSee("#auto-"+itoa(auto), "add_gl_mapping", "auto_enriched")
		tab.do(chromedp.SendKeys(chromedp.ID("reason-"+itoa(auto)), "Wrong GL account for this entity"))
		tab.click("#revert-"+itoa(auto), 200)
		tab.waitFor(".alert-ok", "")
		tab.shot("26-auto-enriched-reverted")
		tab.mustSee("#auto-"+itoa(auto), "reverted")
		if tab.count("#revert-"+itoa(auto)) != 0 {
			t.Error("the revert button is still shown")
		}
		assertStatus(t, f, auto, triage.StatusQueued)
	})
}

// shot saves the viewport (1280 × 800 once emulated) as name.png and
// fails the test if the page is wider than the viewport.
func (p *tab) shot(name string) {
	p.t.Helper()
	png, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(p.b.shots, name+".png"), png, 0o644); err != nil {
		p.t.Fatal(err)
	}
	wide, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
	if err != nil {
		p.t.Fatal(err)
	}
	if wide {
		p.t.Errorf("%s: the page is wider than the viewport", name)
	}
}

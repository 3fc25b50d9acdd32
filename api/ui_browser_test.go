package api_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/billtriage/billtriage/triage"
)

// TestInBrowser drives the UI in headless Chromium: a finance analyst
// accepts a suggestion, a support agent pastes a dispute and is refused a
// finance item. Every page visited is saved as a screenshot under
// var/test-output/screenshots.
func TestInBrowser(t *testing.T) {
	t.Parallel()
	bin := chromium(t)
	f := setupUI(t)
	b := newBrowser(t, bin, f.srv.URL)

	t.Run("finance accepts a suggestion", func(t *testing.T) {
		tab := b.tab(t)
		id := f.finance[0]
		tab.signIn(f.keys[triage.RoleFinance], "01-sign-in")
		tab.waitFor("table.queue-table", "02-finance-queue")
		tab.mustSee("main", "Finance", "NetSuite posting failed", "INV-7001", "not scored")
		tab.click(`a[href="`+exceptionPath(id)+`"]`, 200)
		tab.waitFor("#accept", "03-exception")
		tab.mustSee("main", "Precedents", "missing_gl_mapping", "add_gl_mapping", "4010-SaaS", "Audit history", "amount 48000.00 USD is above the automatic limit")
		// The edit form opens from the keyboard, prefilled with the suggestion.
		tab.do(chromedp.Focus(chromedp.CSS("details.action summary")), chromedp.KeyEvent("\r"))
		tab.waitFor("#root_cause", "03-exception-edit-form")
		if got := tab.value("#root_cause"); got != "missing_gl_mapping" {
			t.Errorf("edit form root cause %q, want the suggestion's", got)
		}
		// Each suggested parameter is a field of its own, not JSON.
		if got := tab.value("#param-0"); got != "4010-SaaS" {
			t.Errorf("edit form gl_account field %q, want the suggested 4010-SaaS", got)
		}
		tab.click("#accept", 200)
		tab.waitFor(".alert-ok", "04-exception-resolved")
		tab.mustSee(".audit", "finance:test-finance", "resolved", "accept")
		tab.mustSee(".badges", "resolved")
		tab.click(".alert-ok a", 200)
		tab.waitFor("table.queue-table", "05-finance-queue-after")
		if n := tab.count(`a[href="` + exceptionPath(id) + `"]`); n != 0 {
			t.Errorf("the accepted item is still in the queue (%d links)", n)
		}
		tab.click(`a[href="/ui/dashboard"]`, 200)
		tab.waitFor("svg.chart", "06-dashboard")
		tab.mustSee(".kpis", "Auto-enrichment rate", "Median resolution")
	})

	t.Run("support pastes a dispute", func(t *testing.T) {
		tab := b.tab(t)
		tab.signIn(f.keys[triage.RoleSupport], "")
		tab.waitFor("table.queue-table", "07-support-queue")
		tab.click(`a[href="/ui/dispute"]`, 200)
		tab.waitFor("#email", "08-paste-dispute")
		tab.do(chromedp.SetValue(chromedp.ID("email"), disputeEmail), chromedp.SetValue(chromedp.ID("customer_id"), "C-5150"))
		tab.click(`form[action="/ui/dispute"] button[type=submit]`, 200)
		tab.waitFor("#result", "09-dispute-result")
		tab.mustSee("main", "Dana Whitfield", "Re: Invoice INV-8123 charged twice", "INV-8123", "$1,240.00", "Quoted history")
		tab.mustSee("#result", "duplicate_charge", "refund_duplicate_charge", "to a person", "Support queue")
		if got := tab.text(".email-body"); !strings.Contains(got, `<script>alert("x")</script>`) {
			t.Errorf("the email's markup should show as text, got %q", got)
		}
		tab.click("#result a", 200)
		tab.waitFor(".detail", "10-dispute-detail")
		tab.mustSee(".email-head", "dana.whitfield@northwind.example")
	})

	t.Run("support cannot open a finance item", func(t *testing.T) {
		tab := b.tab(t)
		tab.signIn(f.keys[triage.RoleSupport], "")
		tab.waitFor("table.queue-table", "")
		tab.open(exceptionPath(f.finance[1]), 403)
		tab.waitFor(".error-card", "11-forbidden")
		tab.mustSee("main", "Not allowed", "Finance queue")
		tab.mustNotSee("main", "NetSuite", "INV-7002")
	})

	t.Run("parameter sources at 1280 px", func(t *testing.T) {
		ctx := context.Background()
		if err := f.svc.ImportHistory(ctx, creditHistory(12)); err != nil {
			t.Fatal(err)
		}
		// A long unbroken invoice id must wrap inside the narrow panel,
		// not push the page sideways (issue 17).
		long := "INV-9001-" + strings.Repeat("7", 60)
		subs, err := f.svc.Submit(ctx, triage.System("test"), []triage.Exception{creditCase(long, "INV-9002", 412.5)})
		if err != nil {
			t.Fatal(err)
		}
		tab := b.tab(t)
		tab.do(chromedp.EmulateViewport(1280, 900))
		tab.signIn(f.keys[triage.RoleAdmin], "")
		tab.waitFor("main", "")
		tab.open(exceptionPath(subs[0].Exception.ID), 200)
		tab.waitFor("tr.param-disagrees", "12-parameter-sources")
		tab.mustSee("table.params", "from the case (invoice_id)", "from the case (attributes.entity)", "required")
		tab.mustSee("tr.param-disagrees", "Check: the text says INV-9002")
		wide, err := chromedp.Run(tab.ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > document.documentElement.clientWidth`))
		if err != nil {
			t.Fatal(err)
		}
		if wide {
			t.Error("the exception page scrolls sideways at 1280 px")
		}
	})
}

// browser is one headless Chromium for the whole test; each subtest gets
// its own browser context, so their cookies never mix.
type browser struct {
	ctx   context.Context
	base  string
	shots string
}

func newBrowser(t *testing.T, bin, base string) *browser {
	t.Helper()
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(bin), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		// Without these Chromium reaches for Google services, and on a
		// closed network its own connections are then refused.
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1360, 900))
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	// The first action starts the browser; it must run on a context
	// without a deadline, or the deadline would end the browser.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	return &browser{ctx: ctx, base: base, shots: screenshotDir(t)}
}

// screenshotDir is var/test-output/screenshots at the repository root.
func screenshotDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
	out := filepath.Join(dir, "var", "test-output", "screenshots")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	return out
}

// tab is a page in a fresh browser context, with a deadline per subtest.
type tab struct {
	t   *testing.T
	ctx context.Context
	b   *browser
}

func (b *browser) tab(t *testing.T) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	ctx, cancelTimeout := context.WithTimeout(ctx, 30*time.Second)
	t.Cleanup(cancelTimeout)
	return &tab{t: t, ctx: ctx, b: b}
}

// signIn opens the UI, lands on the sign-in page and signs in with key.
func (p *tab) signIn(key, shot string) {
	p.t.Helper()
	p.open("/ui/", 200)
	p.waitFor("#key", shot)
	p.do(chromedp.SendKeys(chromedp.ID("key"), key))
	p.click(`form[action="/ui/login"] button[type=submit]`, 200)
}

// open navigates to path and checks the status of the page.
func (p *tab) open(path string, status int64) {
	p.t.Helper()
	resp, err := chromedp.Run(p.ctx, chromedp.NavigateResponse(p.b.base+path))
	p.checkResponse("open "+path, resp, status, err)
}

// click clicks the element and waits for the page it leads to.
func (p *tab) click(sel string, status int64) {
	p.t.Helper()
	resp, err := chromedp.RunResponse(p.ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	p.checkResponse("click "+sel, resp, status, err)
}

func (p *tab) checkResponse(what string, resp *network.Response, want int64, err error) {
	p.t.Helper()
	if err != nil {
		p.t.Fatalf("%s: %v", what, err)
	}
	if resp.Status != want {
		p.t.Fatalf("%s: status %d, want %d", what, resp.Status, want)
	}
}

// waitFor waits until sel is visible and saves a screenshot named shot
// (none when shot is empty).
func (p *tab) waitFor(sel, shot string) {
	p.t.Helper()
	p.do(chromedp.WaitVisible(chromedp.CSS(sel)))
	if shot == "" {
		return
	}
	png, err := chromedp.Run(p.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		p.t.Fatalf("screenshot %s: %v", shot, err)
	}
	if err := os.WriteFile(filepath.Join(p.b.shots, shot+".png"), png, 0o644); err != nil {
		p.t.Fatal(err)
	}
}

func (p *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, actions...); err != nil {
		p.t.Fatal(err)
	}
}

// text returns the visible text of sel.
func (p *tab) text(sel string) string {
	p.t.Helper()
	s, err := chromedp.Run(p.ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		p.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// value returns the value of the form field sel.
func (p *tab) value(sel string) string {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Value(chromedp.CSS(sel)))
	if err != nil {
		p.t.Fatalf("value of %s: %v", sel, err)
	}
	return v
}

// count returns how many elements match sel.
func (p *tab) count(sel string) int {
	p.t.Helper()
	n, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+jsString(sel)+`).length`))
	if err != nil {
		p.t.Fatalf("count %s: %v", sel, err)
	}
	return n
}

func (p *tab) mustSee(sel string, snippets ...string) {
	p.t.Helper()
	text := p.text(sel)
	for _, s := range snippets {
		if !strings.Contains(text, s) {
			p.t.Errorf("%s does not show %q", sel, s)
		}
	}
}

func (p *tab) mustNotSee(sel string, snippets ...string) {
	p.t.Helper()
	text := p.text(sel)
	for _, s := range snippets {
		if strings.Contains(text, s) {
			p.t.Errorf("%s shows %q", sel, s)
		}
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

package api_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/billtriage/billtriage/triage"
)

// disputeEmail is a reply with headers, a signature and quoted history, and
// a line of markup that must never reach the page as markup.
const disputeEmail = `From: Dana Whitfield <dana.whitfield@northwind.example>
To: billing@vendor.example
Subject: Re: Invoice INV-8123 charged twice
Date: Tue, 4 Mar 2025 09:12:44 +0000

Hi team,

We were charged twice for INV-8123 - two payments of $1,240.00 went out on March 3. Please refund the duplicate.
The portal only says <script>alert("x")</script> when I open the invoice.

Thanks,
Dana Whitfield
Accounts Payable, Northwind

On Mon, Mar 3, 2025 at 4:02 PM, Vendor Billing <billing@vendor.example> wrote:
> Hi Dana,
> Your invoice INV-8123 is attached.
`

func TestPasteADispute(t *testing.T) {
	t.Parallel()
	f := setupUI(t)
	c := f.signIn(t, triage.RoleSupport)
	c.get("/ui/dispute")
	// Browsers send text areas with CRLF line ends.
	form := url.Values{"email": {strings.ReplaceAll(disputeEmail, "\n", "\r\n")}, "customer_id": {"C-5150"}}
	resp, body := c.post("/ui/dispute", form)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d\n%s", resp.StatusCode, body)
	}
	mustContain(t, body,
		"Parsed email", "Dana Whitfield &lt;dana.whitfield@northwind.example&gt;", "Re: Invoice INV-8123 charged twice",
		`<span class="chip">INV-8123</span>`, `<span class="chip">$1,240.00</span>`, "Quoted history", "Your invoice INV-8123 is attached.",
		"Triage result", "<code>duplicate_charge</code>", "<code>refund_duplicate_charge</code>", "moves money and always needs a person",
		`&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;`)
	mustNotContain(t, body, `<script>alert`)

	ex := pastedException(t, f)
	if ex.Type != triage.BillingDispute || ex.Source != "support-inbox" || ex.CustomerID != "C-5150" || ex.InvoiceID != "INV-8123" {
		t.Errorf("stored %s from %q, customer %q, invoice %q", ex.Type, ex.Source, ex.CustomerID, ex.InvoiceID)
	}
	if ex.Amount == nil || *ex.Amount != 1240 || ex.Currency != "USD" {
		t.Errorf("amount %v %s, want 1240 USD", ex.Amount, ex.Currency)
	}
	if strings.Contains(ex.Text, "Your invoice INV-8123 is attached") || !strings.Contains(ex.Text, "charged twice") {
		t.Errorf("matched text should be the customer's new words only:\n%s", ex.Text)
	}
	mustContain(t, body, `href="`+exceptionPath(ex.ID)+`"`)

	t.Run("a second submit triages once", func(t *testing.T) {
		_, again := c.post("/ui/dispute", form)
		mustContain(t, again, "already submitted", "Exception #"+itoa(ex.ID))
		if got := pastedException(t, f); got.ID != ex.ID {
			t.Errorf("a second exception %d was created", got.ID)
		}
	})
	t.Run("the detail page shows the original email", func(t *testing.T) {
		_, detail := c.get(exceptionPath(ex.ID))
		mustContain(t, detail, "Dana Whitfield &lt;dana.whitfield@northwind.example&gt;", "Quoted history", "Accounts Payable, Northwind")
		mustNotContain(t, detail, `<script>alert`)
	})
}

func TestPasteADisputeRefusesEmptyText(t *testing.T) {
	t.Parallel()
	f := setupUI(t)
	c := f.signIn(t, triage.RoleSupport)
	c.get("/ui/dispute")
	resp, body := c.post("/ui/dispute", url.Values{"email": {" \r\n "}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("status %d, want 400", resp.StatusCode)
	}
	mustContain(t, body, "Paste the email")
}

func TestPastedDisputeShowsItsRisk(t *testing.T) {
	t.Parallel()
	risk := triage.Risk{Probability: 0.62, ModelVersion: "risk-0123456789ab", Factors: []triage.RiskFactor{
		{Feature: "hist_late_share", Effect: 0.41, Words: "customer was late on 3 of 4 past invoices"},
		{Feature: "terms_days", Effect: -0.1, Words: "payment terms of 30 days"},
	}}
	f := setupUI(t, func(o *uiOptions) { o.risk = fixedRisk{risk} })
	c := f.signIn(t, triage.RoleSupport)
	c.get("/ui/dispute")
	_, body := c.post("/ui/dispute", url.Values{"email": {disputeEmail}})
	mustContain(t, body, `<strong class="risk-value">0.62</strong>`, `<li class="raises">`, "customer was late on 3 of 4 past invoices",
		`<li class="lowers">`, "payment terms of 30 days")
	mustNotContain(t, body, "not scored")
}

func TestPasteADisputeWhileTheEmbedderIsDown(t *testing.T) {
	t.Parallel()
	var flaky *flakyEmbedder
	f := setupUI(t, func(o *uiOptions) {
		o.wrap = func(e triage.Embedder) triage.Embedder {
			flaky = &flakyEmbedder{Embedder: e}
			return flaky
		}
	})
	c := f.signIn(t, triage.RoleSupport)
	c.get("/ui/dispute")
	form := url.Values{"email": {disputeEmail}}
	flaky.down.Store(true)
	resp, body := c.post("/ui/dispute", form)
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503", resp.StatusCode)
	}
	// The form keeps the paste, so a second press retries it.
	mustContain(t, body, "Submit again in a moment", "We were charged twice for INV-8123 - two payments")
	mustNotContain(t, body, `id="result"`)

	flaky.down.Store(false)
	resp, body = c.post("/ui/dispute", form)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("retry: status %d", resp.StatusCode)
	}
	mustContain(t, body, "Triage result", "<code>duplicate_charge</code>")
	assertStatus(t, f, pastedException(t, f).ID, triage.StatusQueued)
}

// flakyEmbedder fails while down, as a remote embedding service can.
type flakyEmbedder struct {
	triage.Embedder
	down atomic.Bool
}

func (e *flakyEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	if e.down.Load() {
		return nil, errors.New("connection refused")
	}
	return e.Embedder.Embed(ctx, texts)
}

// fixedRisk scores every exception the same, so a test can check how the
// pages show a score.
type fixedRisk struct{ r triage.Risk }

func (f fixedRisk) Score(context.Context, triage.Exception) (*triage.Risk, error) {
	r := f.r
	return &r, nil
}

// pastedException returns the one exception the support inbox holds
// besides the fixture's.
func pastedException(t *testing.T, f *uiFixture) triage.Exception {
	t.Helper()
	page, err := f.store.Queue(context.Background(), triage.QueueQuery{Queue: triage.QueueSupport, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	var found []triage.Exception
	for _, it := range page.Items {
		if it.ID != f.dispute {
			found = append(found, it.Exception)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d pasted exceptions in the support queue, want 1", len(found))
	}
	return found[0]
}

// TestRiskFactorsNeverContradictEachOther: a decision scored before the
// model merged same-words facts (issue 17) stored "customer has no past
// invoices with a known outcome" once raising and once lowering the risk.
// The page shows each statement once, in the direction of its net effect.
func TestRiskFactorsNeverContradictEachOther(t *testing.T) {
	t.Parallel()
	const none = "customer has no past invoices with a known outcome"
	risk := triage.Risk{Probability: 0.4, ModelVersion: "risk-0123456789ab", Factors: []triage.RiskFactor{
		{Feature: "hist_known", Effect: 0.3, Words: none},
		{Feature: "terms_days", Effect: -0.2, Words: "payment terms of 30 days"},
		{Feature: "hist_late_share", Effect: -0.1, Words: none},
	}}
	f := setupUI(t, func(o *uiOptions) { o.risk = fixedRisk{risk} })
	c := f.signIn(t, triage.RoleSupport)
	c.get("/ui/dispute")
	_, body := c.post("/ui/dispute", url.Values{"email": {disputeEmail}})
	if n := strings.Count(body, none); n != 1 {
		t.Errorf("the page states %q %d times, want once", none, n)
	}
	mustContain(t, body, `<li class="raises"><span class="visually-hidden">raises the risk:</span>`+none+`</li>`,
		`<li class="lowers"><span class="visually-hidden">lowers the risk:</span>payment terms of 30 days</li>`)
}

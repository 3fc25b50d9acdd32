package api_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// autoItem submits an ERP failure the history explains, small enough for
// the policy to enrich it without a person, and returns its id.
func (f *uiFixture) autoItem(t *testing.T, ext string) int64 {
	t.Helper()
	// The fixture's small history keeps its confidence just under the
	// default threshold; a policy that trusts it a little more automates it.
	pol := triage.DefaultPolicy()
	pol.DefaultThreshold = 0.8
	activatePolicy(t, f.svc, pol)
	amt := 90.0
	subs, err := f.svc.Submit(context.Background(), triage.System("test"), []triage.Exception{{Source: "erp-connector", ExternalID: ext,
		Type: triage.ERPPostingFailure, OccurredAt: time.Now().Add(-time.Hour), CustomerID: "C-1042", InvoiceID: "INV-7009",
		Text:   "NetSuite posting failed for invoice INV-1003: no GL account mapped for SKU API-PLUS (subsidiary US00)",
		Amount: &amt, Currency: "USD"}})
	if err != nil {
		t.Fatal(err)
	}
	if ex := subs[0].Exception; ex.Status != triage.StatusAutoEnriched {
		t.Fatalf("fixture: %s in %s: %v", ex.Status, ex.Queue, subs[0].Decision.Reasons)
	}
	return subs[0].Exception.ID
}

func TestClaimAssignAndCommentOnTheDetailPage(t *testing.T) {
	t.Parallel()
	f := setupUI(t)
	id := f.finance[0]
	c := f.signIn(t, triage.RoleFinance)
	_, page := c.get(exceptionPath(id))
	mustContain(t, page, `id="claim"`, "Nobody yet.", `id="comment"`)
	mustNotContain(t, page, `id="assign-to"`) // a team member claims; a lead assigns

	resp, _ := c.post(exceptionPath(id)+"/claim", nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("claim: %d", resp.StatusCode)
	}
	_, page = c.get(resp.Header.Get("Location"))
	mustContain(t, page, "Claimed: the item is yours.", "<strong>test-finance</strong>", "Release")
	_, queue := c.get("/ui/queues/finance")
	mustContain(t, queue, "@test-finance")

	resp, _ = c.post(exceptionPath(id)+"/comments", url.Values{"body": {"Called <the customer>; waiting for the PO."}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("comment: %d", resp.StatusCode)
	}
	_, page = c.get(exceptionPath(id))
	mustContain(t, page, "Called &lt;the customer&gt;; waiting for the PO.", "finance:test-finance")
	if resp, body := c.post(exceptionPath(id)+"/comments", url.Values{"body": {"  "}}); resp.StatusCode != http.StatusBadRequest ||
		!strings.Contains(body, "body: is required") {
		t.Errorf("empty comment: %d", resp.StatusCode)
	}

	a := f.signIn(t, triage.RoleAdmin)
	_, page = a.get(exceptionPath(id))
	mustContain(t, page, `id="assign-to"`)
	if resp, _ := a.post(exceptionPath(id)+"/assign", url.Values{"assignee": {"fay"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("assign: %d", resp.StatusCode)
	}
	if d, err := f.svc.Exception(context.Background(), triage.System("t"), id); err != nil || d.Exception.Assignee != "fay" {
		t.Errorf("assignee %q, %v", d.Exception.Assignee, err)
	}
	// A team member cannot give the item to someone else.
	if resp, _ := c.post(exceptionPath(id)+"/assign", url.Values{"assignee": {"test-finance"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("team member assigns: %d, want 403", resp.StatusCode)
	}
}

func TestBulkActionConfirmsThenReportsEachItem(t *testing.T) {
	t.Parallel()
	f := setupUI(t)
	c := f.signIn(t, triage.RoleFinance)
	_, queue := c.get("/ui/queues/finance")
	mustContain(t, queue, `form="bulk"`, `id="bulk-review"`)
	// The dispute is support's: finance may tick it only by forging the form.
	form := url.Values{"op": {"reassign"}, "queue": {"revops"}, "back": {"finance"},
		"id": {itoa(f.finance[0]), itoa(f.finance[1]), itoa(f.dispute)}}
	resp, page := c.post("/ui/bulk/confirm", form)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("confirm: %d\n%s", resp.StatusCode, page)
	}
	mustContain(t, page, "Confirm: reassign to Revenue ops", "2 of 3 items will change", "Move from Finance to Revenue ops",
		"refused", `id="bulk-apply"`)
	assertQueue(t, f, f.finance[0], triage.QueueFinance) // nothing moved yet

	resp, page = c.post("/ui/bulk", url.Values{"op": {"reassign"}, "queue": {"revops"}, "back": {"finance"},
		"id": {itoa(f.finance[0]), itoa(f.dispute)}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("apply: %d", resp.StatusCode)
	}
	mustContain(t, page, "1 of 2 items changed", "Moved to Revenue ops", "may not")
	assertQueue(t, f, f.finance[0], triage.QueueRevOps)
	assertQueue(t, f, f.dispute, triage.QueueSupport)

	for name, form := range map[string]url.Values{
		"nothing ticked": {"op": {"accept"}},
		"bad operation":  {"op": {"delete"}, "id": {itoa(f.finance[1])}},
	} {
		if resp, _ := c.post("/ui/bulk/confirm", form); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", name, resp.StatusCode)
		}
	}
	an := f.signIn(t, triage.RoleAnalyst)
	_, queue = an.get("/ui/queues/finance")
	mustNotContain(t, queue, `id="bulk-review"`)
}

func TestAutoEnrichedPageFiltersAndReverts(t *testing.T) {
	t.Parallel()
	f := setupUI(t)
	id := f.autoItem(t, "auto-1")
	c := f.signIn(t, triage.RoleFinance)
	_, page := c.get("/ui/auto")
	mustContain(t, page, `id="auto-`+itoa(id)+`"`, "add_gl_mapping", `id="revert-`+itoa(id)+`"`)
	for query, want := range map[string]bool{
		"?type=erp_posting_failure":      true,
		"?type=billing_dispute":          false,
		"?action=add_gl_mapping":         true,
		"?action=retry_posting":          false,
		"?from=2000-01-01&to=2999-12-31": true,
		"?to=2000-01-01":                 false,
	} {
		_, page := c.get("/ui/auto" + query)
		if got := strings.Contains(page, `id="auto-`+itoa(id)+`"`); got != want {
			t.Errorf("%s: listed %v, want %v", query, got, want)
		}
	}
	if status, page := c.get("/ui/auto?from=soon"); status != http.StatusBadRequest || !strings.Contains(page, "from: must be a date") {
		t.Errorf("bad date: %d", status)
	}
	// An analyst sees the list but not the button.
	an := f.signIn(t, triage.RoleAnalyst)
	_, page = an.get("/ui/auto")
	mustContain(t, page, `id="auto-`+itoa(id)+`"`, "its team reverts")
	mustNotContain(t, page, `id="revert-`+itoa(id)+`"`)

	c.get("/ui/auto?type=erp_posting_failure")
	resp, _ := c.post("/ui/exceptions/"+itoa(id)+"/revert", url.Values{"reason": {"wrong GL account"}, "from": {"auto"},
		"filters": {"type=erp_posting_failure"}})
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "type=erp_posting_failure") {
		t.Fatalf("revert: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, page = c.get(resp.Header.Get("Location"))
	mustContain(t, page, "reverted: its fields have their previous values", "badge-status-queued\">reverted")
	assertStatus(t, f, id, triage.StatusQueued)
	// A second revert is refused on the page, not with an error page.
	if resp, page := c.post("/ui/exceptions/"+itoa(id)+"/revert", url.Values{"reason": {"again"}, "from": {"auto"}}); resp.StatusCode != http.StatusConflict ||
		!strings.Contains(page, "was not reverted") {
		t.Errorf("second revert: %d", resp.StatusCode)
	}
}

// TestDetailShowsTheStoredResolutionAndRelatedItems: after "Edit, then
// resolve" the page shows the edited values, not the old suggestion, and
// the customer's other items.
func TestDetailShowsTheStoredResolutionAndRelatedItems(t *testing.T) {
	t.Parallel()
	f := setupUI(t)
	other := f.autoItem(t, "auto-2") // same customer as finance[0]
	id := f.finance[0]
	c := f.signIn(t, triage.RoleFinance)
	_, page := c.get(exceptionPath(id))
	mustContain(t, page, "Customer and invoice", `href="`+exceptionPath(other)+`"`)
	resp, _ := c.post(exceptionPath(id)+"/resolution", url.Values{"verdict": {"edit"}, "root_cause": {"wrong_subsidiary"},
		"action": {"repost_to_entity"}, "params": {`{"entity": "US02"}`}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("resolve: %d", resp.StatusCode)
	}
	_, page = c.get(exceptionPath(id))
	mustContain(t, page, `id="resolution"`, "<code>repost_to_entity</code>", "<dt>entity</dt><dd><code>US02</code></dd>", "Suggestion at triage")
}

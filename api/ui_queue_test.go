package api_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/billtriage/billtriage/triage"
)

// TestQueuePageWorkbench reads the finance queue page with a search, a
// filter and an order, and checks the why-queued tag, the total, the sort
// links that keep the filters, and the refusal of a bad filter beside the
// form.
func TestQueuePageWorkbench(t *testing.T) {
	f := setupUI(t)
	c := f.signIn(t, triage.RoleFinance)
	status, page := c.get("/ui/queues/finance?q=INV-7002&sort=-amount")
	if status != http.StatusOK {
		t.Fatalf("queue page: %d", status)
	}
	for _, want := range []string{`id="queue-total">1<`, `class="badge badge-why why-tag"`, "amount limit", `value="INV-7002"`,
		`aria-sort="descending"`, exceptionPath(f.finance[1])} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	if strings.Contains(page, exceptionPath(f.finance[0])) {
		t.Error("the search let through an item that does not match")
	}
	// The amount header flips the order and keeps the search.
	if !strings.Contains(html.UnescapeString(page), `href="/ui/queues/finance?q=INV-7002&sort=amount"`) {
		t.Error("the amount header does not link to the ascending order with the search kept")
	}
	status, page = c.get("/ui/queues/finance?min_risk=7")
	if status != http.StatusBadRequest || !strings.Contains(page, "min_risk: 7 is outside 0 to 1") || !strings.Contains(page, `value="7"`) {
		t.Errorf("a bad filter: %d, want 400 naming min_risk beside the form", status)
	}
}

// TestSavedViewsOnQueuePage saves the page's query under a name, finds it
// listed and current, keeps it per person, and deletes it.
func TestSavedViewsOnQueuePage(t *testing.T) {
	f := setupUI(t)
	c := f.signIn(t, triage.RoleFinance)
	_, page := c.get("/ui/queues/finance?why=amount+limit&cursor=")
	query := regexp.MustCompile(`name="query" value="([^"]*)"`).FindStringSubmatch(page)
	if query == nil {
		t.Fatal("no Save view form on a filtered page")
	}
	resp, _ := c.post("/ui/queues/finance/views", url.Values{"name": {"Held by the limit"}, "query": {html.UnescapeString(query[1])}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/ui/queues/finance?why=amount+limit" {
		t.Fatalf("save: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, page = c.get("/ui/queues/finance?why=amount+limit")
	if !regexp.MustCompile(`<a href="/ui/queues/finance\?why=amount&#43;limit" aria-current="page">Held by the limit</a>`).MatchString(page) {
		t.Error("the saved view is not listed as the current one")
	}
	// Another person of the same team does not see it.
	if _, other := f.signIn(t, triage.RoleAdmin).get("/ui/queues/finance"); strings.Contains(other, "Held by the limit") {
		t.Error("another key sees the view")
	}
	// A query the queue refuses is not kept.
	if resp, _ := c.post("/ui/queues/finance/views", url.Values{"name": {"bad"}, "query": {"min_risk=9"}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("saving a bad query: %d, want 400", resp.StatusCode)
	}
	id := regexp.MustCompile(`/ui/queues/finance/views/(\d+)/delete`).FindStringSubmatch(page)
	if id == nil {
		t.Fatal("no delete form")
	}
	if resp, _ := c.post("/ui/queues/finance/views/"+id[1]+"/delete", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", resp.StatusCode)
	}
	if _, page = c.get("/ui/queues/finance"); strings.Contains(page, "Held by the limit") {
		t.Error("the deleted view is still listed")
	}
}

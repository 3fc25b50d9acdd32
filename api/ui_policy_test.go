package api_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/billtriage/billtriage/triage"
)

// The policy page: an admin gets the candidate form; an analyst reads the
// history without any form and cannot post one; a team's member is
// refused the page and its actions.
func TestPolicyPageRoles(t *testing.T) {
	f := setupUI(t)
	const link = `href="/ui/policy"`
	admin := f.signIn(t, triage.RoleAdmin)
	status, body := admin.get("/ui/policy")
	if status != http.StatusOK {
		t.Fatalf("admin: %d", status)
	}
	mustContain(t, body, link, `id="policy-json"`, `formaction="/ui/policy/activate"`, "History")
	analyst := f.signIn(t, triage.RoleAnalyst)
	status, body = analyst.get("/ui/policy")
	if status != http.StatusOK {
		t.Fatalf("analyst: %d", status)
	}
	mustContain(t, body, link, "History")
	mustNotContain(t, body, `id="policy-json"`, "/ui/policy/activate")
	form := url.Values{"policy": {string(triage.DefaultPolicy().MarshalIndented())}}
	if resp, _ := analyst.post("/ui/policy/preview", form); resp.StatusCode != http.StatusForbidden {
		t.Errorf("analyst previews: %d", resp.StatusCode)
	}
	for _, role := range []triage.Role{triage.RoleFinance, triage.RoleSupport} {
		c := f.signIn(t, role)
		if status, _ := c.get("/ui/policy"); status != http.StatusForbidden {
			t.Errorf("%s sees the policy page: %d", role, status)
		}
		if _, dash := c.get("/ui/dashboard"); strings.Contains(dash, link) {
			t.Errorf("%s gets a link to the policy page", role)
		}
		if resp, _ := c.post("/ui/policy/activate", form); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s activates: %d", role, resp.StatusCode)
		}
	}
	// A bad candidate is shown back with the field at fault.
	bad := url.Values{"policy": {`{"default_threshold": -1}`}, "since": {"30d"}}
	resp, body := admin.post("/ui/policy/preview", bad)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "default_threshold: must be &gt;= 0") {
		t.Errorf("a bad candidate: %d, page lacks the field's reason", resp.StatusCode)
	}
	resp, body = admin.post("/ui/policy/preview", url.Values{"policy": form["policy"], "since": {"400d"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "since:") {
		t.Errorf("a window past the limit: %d", resp.StatusCode)
	}
}

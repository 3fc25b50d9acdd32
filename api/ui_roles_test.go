package api_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/billtriage/billtriage/triage"
)

func TestPagesPerRole(t *testing.T) {
	t.Parallel()
	f := setupUI(t)
	finance, dispute := exceptionPath(f.finance[0]), exceptionPath(f.dispute)
	tests := []struct {
		role   triage.Role
		path   string
		status int
		// forms says whether the page offers the action forms.
		forms bool
	}{
		{triage.RoleSupport, "/ui/queues/support", http.StatusOK, false},
		{triage.RoleSupport, "/ui/queues/finance", http.StatusForbidden, false},
		{triage.RoleSupport, finance, http.StatusForbidden, false},
		{triage.RoleSupport, dispute, http.StatusOK, true},
		{triage.RoleSupport, "/ui/dispute", http.StatusOK, false},
		{triage.RoleSupport, "/ui/dashboard", http.StatusOK, false},
		{triage.RoleFinance, "/ui/queues/finance", http.StatusOK, false},
		{triage.RoleFinance, finance, http.StatusOK, true},
		{triage.RoleFinance, dispute, http.StatusForbidden, false},
		{triage.RoleFinance, "/ui/queues/revops", http.StatusForbidden, false},
		{triage.RoleAnalyst, "/ui/queues/finance", http.StatusOK, false},
		{triage.RoleAnalyst, finance, http.StatusOK, false},
		{triage.RoleAnalyst, dispute, http.StatusOK, false},
		{triage.RoleAnalyst, "/ui/dispute", http.StatusForbidden, false},
		{triage.RoleAdmin, "/ui/queues/tax", http.StatusOK, false},
		{triage.RoleAdmin, finance, http.StatusOK, true},
		{triage.RoleAdmin, dispute, http.StatusOK, true},
		{triage.RoleAdmin, "/ui/dispute", http.StatusOK, false},
		{triage.RoleAdmin, "/ui/queues/nope", http.StatusNotFound, false},
		{triage.RoleAdmin, "/ui/exceptions/999999", http.StatusNotFound, false},
		{triage.RoleAdmin, "/ui/exceptions/abc", http.StatusNotFound, false},
		{triage.RoleAdmin, "/ui/no-such-page", http.StatusNotFound, false},
	}
	clients := map[triage.Role]*client{}
	for _, tc := range tests {
		t.Run(string(tc.role)+" "+tc.path, func(t *testing.T) {
			c, ok := clients[tc.role]
			if !ok {
				c = f.signIn(t, tc.role)
				clients[tc.role] = c
			}
			status, body := c.get(tc.path)
			if status != tc.status {
				t.Fatalf("status %d, want %d", status, tc.status)
			}
			if tc.status == http.StatusForbidden {
				mustContain(t, body, "Not allowed", "Error 403")
				mustNotContain(t, body, "NetSuite", "charged twice")
			}
			hasForms := containsAction(body)
			if hasForms != tc.forms {
				t.Errorf("action forms shown: %v, want %v", hasForms, tc.forms)
			}
		})
	}
}

// containsAction reports whether a page offers the exception actions.
func containsAction(body string) bool {
	return regexpAction.MatchString(body)
}

func TestActionsNeedTheRightRole(t *testing.T) {
	t.Parallel()
	f := setupUI(t)
	tests := []struct {
		role   triage.Role
		id     func() int64
		path   string
		form   url.Values
		status int
	}{
		{triage.RoleAnalyst, func() int64 { return f.finance[0] }, "/resolution", url.Values{"verdict": {"accept"}}, http.StatusForbidden},
		{triage.RoleAnalyst, func() int64 { return f.dispute }, "/reassign", url.Values{"queue": {"tax"}}, http.StatusForbidden},
		{triage.RoleSupport, func() int64 { return f.finance[0] }, "/resolution", url.Values{"verdict": {"reject"}}, http.StatusForbidden},
		{triage.RoleFinance, func() int64 { return f.dispute }, "/reassign", url.Values{"queue": {"finance"}}, http.StatusForbidden},
		{triage.RoleAnalyst, nil, "/ui/dispute", url.Values{"email": {"We were charged twice."}}, http.StatusForbidden},
	}
	for _, tc := range tests {
		path := tc.path
		if tc.id != nil {
			path = exceptionPath(tc.id()) + tc.path
		}
		t.Run(string(tc.role)+" "+path, func(t *testing.T) {
			c := f.signIn(t, tc.role)
			resp, body := c.post(path, tc.form)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d\n%s", resp.StatusCode, tc.status, body)
			}
		})
	}
	assertStatus(t, f, f.finance[0], triage.StatusQueued)
	assertQueue(t, f, f.dispute, triage.QueueSupport)
}

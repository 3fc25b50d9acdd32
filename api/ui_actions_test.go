package api_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/billtriage/billtriage/triage"
)

func TestResolveFromTheDetailPage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		form   url.Values
		status triage.Status
		// want is what the audit row records.
		want map[string]any
		done string
	}{
		{"accept", url.Values{"verdict": {"accept"}}, triage.StatusResolved,
			map[string]any{"verdict": "accept", "root_cause": "missing_gl_mapping", "action": "add_gl_mapping"}, "Resolved."},
		{"edit", url.Values{"verdict": {"edit"}, "root_cause": {"wrong_subsidiary"}, "action": {"repost_to_entity"},
			"params": {`{"entity": "US02"}`}, "note": {"posted to the wrong entity"}}, triage.StatusResolved,
			map[string]any{"verdict": "edit", "root_cause": "wrong_subsidiary", "action": "repost_to_entity", "note": "posted to the wrong entity"}, "Resolved."},
		{"reject", url.Values{"verdict": {"reject"}, "note": {"duplicate alert"}}, triage.StatusRejected,
			map[string]any{"verdict": "reject", "root_cause": triage.RootCauseNotActionable, "note": "duplicate alert"}, "Rejected"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := setupUI(t)
			c := f.signIn(t, triage.RoleFinance)
			id := f.finance[0]
			if _, queue := c.get("/ui/queues/finance"); !strings.Contains(queue, `href="`+exceptionPath(id)+`"`) {
				t.Fatal("the item is not in the queue to begin with")
			}
			c.get(exceptionPath(id))
			resp, _ := c.post(exceptionPath(id)+"/resolution", tc.form)
			if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), exceptionPath(id)+"?done=") {
				t.Fatalf("status %d to %q, want 303 back to the detail page", resp.StatusCode, resp.Header.Get("Location"))
			}
			assertStatus(t, f, id, tc.status)
			last := lastAudit(t, f, id)
			if last.Actor != "finance:test-finance" {
				t.Errorf("audit actor %q, want the signed-in principal", last.Actor)
			}
			for k, v := range tc.want {
				if last.Detail[k] != v {
					t.Errorf("audit %s = %v, want %v", k, last.Detail[k], v)
				}
			}
			_, queue := c.get("/ui/queues/finance")
			if strings.Contains(queue, `href="`+exceptionPath(id)+`"`) {
				t.Error("the item is still in the queue")
			}
			_, detail := c.get(resp.Header.Get("Location"))
			mustContain(t, detail, tc.done, "finance:test-finance")
			if containsAction(detail) {
				t.Error("a closed item still offers actions")
			}
		})
	}
}

func TestRefusedActionsExplainWhy(t *testing.T) {
	t.Parallel()
	f := setupUI(t)
	c := f.signIn(t, triage.RoleFinance)
	id := f.finance[1]
	c.get(exceptionPath(id))
	tests := []struct {
		name    string
		form    url.Values
		status  int
		message string
	}{
		{"params not an object", url.Values{"verdict": {"edit"}, "root_cause": {"x"}, "action": {"y"}, "params": {"[1, 2]"}}, http.StatusBadRequest, "must be a JSON object"},
		{"params not JSON", url.Values{"verdict": {"edit"}, "root_cause": {"x"}, "action": {"y"}, "params": {"gl=4010"}}, http.StatusBadRequest, "must be a JSON object"},
		{"edit without action", url.Values{"verdict": {"edit"}, "root_cause": {"x"}}, http.StatusBadRequest, "action: is required"},
		{"unknown verdict", url.Values{"verdict": {"approve"}}, http.StatusBadRequest, "verdict: must be accept, edit or reject"},
		{"accept", url.Values{"verdict": {"accept"}}, http.StatusSeeOther, ""},
		{"accept again", url.Values{"verdict": {"accept"}}, http.StatusConflict, "cannot be resolved again"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := c.post(exceptionPath(id)+"/resolution", tc.form)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d\n%s", resp.StatusCode, tc.status, body)
			}
			mustContain(t, body, tc.message)
		})
	}
	t.Run("the edit form keeps what was typed", func(t *testing.T) {
		id := f.finance[0]
		c.get(exceptionPath(id))
		_, body := c.post(exceptionPath(id)+"/resolution", url.Values{"verdict": {"edit"}, "root_cause": {"typed_cause"}, "action": {"typed_action"}, "params": {"{oops"}})
		mustContain(t, body, `value="typed_cause"`, `value="typed_action"`, "{oops")
		assertStatus(t, f, id, triage.StatusQueued)
	})
}

func TestReassign(t *testing.T) {
	t.Parallel()
	f := setupUI(t)
	tests := []struct {
		name     string
		role     triage.Role
		id       func() int64
		to       triage.Queue
		location string
		notice   string
	}{
		{"to a queue the person works", triage.RoleAdmin, func() int64 { return f.finance[1] }, triage.QueueTax,
			exceptionPath(f.finance[1]) + "?done=reassigned", "Reassigned."},
		{"to a queue the person does not see", triage.RoleSupport, func() int64 { return f.dispute }, triage.QueueTax,
			"/ui/queues/support?moved=" + itoa(f.dispute) + "&to=tax", "moved to the Tax queue"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := f.signIn(t, tc.role)
			id := tc.id()
			c.get(exceptionPath(id))
			resp, _ := c.post(exceptionPath(id)+"/reassign", url.Values{"queue": {string(tc.to)}, "note": {"this is a VAT question"}})
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != tc.location {
				t.Fatalf("status %d to %q, want 303 to %q", resp.StatusCode, resp.Header.Get("Location"), tc.location)
			}
			assertQueue(t, f, id, tc.to)
			last := lastAudit(t, f, id)
			if last.Action != triage.AuditReassigned || last.Actor != string(tc.role)+":test-"+string(tc.role) || last.Detail["note"] != "this is a VAT question" {
				t.Errorf("audit %+v", last)
			}
			_, page := c.get(tc.location)
			mustContain(t, page, tc.notice)
		})
	}
	t.Run("to an unknown queue", func(t *testing.T) {
		c := f.signIn(t, triage.RoleAdmin)
		c.get(exceptionPath(f.finance[0]))
		resp, body := c.post(exceptionPath(f.finance[0])+"/reassign", url.Values{"queue": {"legal"}})
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("status %d, want 400", resp.StatusCode)
		}
		mustContain(t, body, "unknown queue")
		assertQueue(t, f, f.finance[0], triage.QueueFinance)
	})
}

func lastAudit(t *testing.T, f *uiFixture, id int64) triage.AuditEntry {
	t.Helper()
	entries, err := f.store.Audit(context.Background(), id)
	if err != nil || len(entries) == 0 {
		t.Fatalf("audit of %d: %v (%d rows)", id, err, len(entries))
	}
	return entries[len(entries)-1]
}

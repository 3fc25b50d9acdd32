package api_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"slices"
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

// A candidate that lets a refund run automatically is flagged: the
// dispute it would automate is a money-moving change.
func TestPreviewFlagsMoneyMovingActions(t *testing.T) {
	f := setupUI(t)
	pol := triage.DefaultPolicy()
	pol.HumanOnlyActions = []string{"write_off"}
	pol.AutomatableActions[triage.BillingDispute] = append(pol.AutomatableActions[triage.BillingDispute], "refund_duplicate_charge")
	pol.DefaultThreshold = 0.3
	pv, err := f.svc.PreviewPolicy(context.Background(), triage.System("test"), bytes.NewReader(pol.MarshalIndented()), "7d")
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, ch := range pv.Result.Changes {
		if ch.ExceptionID == f.dispute {
			found = true
			if !ch.MoneyMoving || ch.After != triage.OutcomeAuto || ch.Action != "refund_duplicate_charge" {
				t.Errorf("the refund's change %+v, want automated and money-moving", ch)
			}
		}
	}
	if !found || !slices.Contains(pv.Result.MoneyMovingActions, "refund_duplicate_charge") {
		t.Errorf("changes %+v, money-moving actions %v: want the refund flagged", pv.Result.Changes, pv.Result.MoneyMovingActions)
	}
	for _, row := range pv.Result.Types {
		if row.Type == triage.BillingDispute && row.MoneyMoving == 0 {
			t.Errorf("billing_dispute row %+v counts no money-moving change", row)
		}
	}
}

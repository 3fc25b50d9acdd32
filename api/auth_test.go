package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/billtriage/billtriage/triage"
)

// TestEveryRouteChecksKeyAndRole covers each /v1 route with a role that is
// allowed and one that is refused (OWASP API1 object-level and API5
// function-level authorisation), plus no key, an unknown key and a revoked
// key.
func TestEveryRouteChecksKeyAndRole(t *testing.T) {
	f := setup(t)
	// a finance item (ERP) and a tax item, both queued
	finBody := `{"id":"fin","type":"erp_posting_failure","text":"SAP posting for INV-1 rejected, unknown reason","amount":30000,"currency":"USD"}`
	fin := f.create(t, finBody)
	tax := f.create(t, `{"id":"tx","type":"tax_inconsistency","text":"Avalara rejected invoice: customer VAT ID missing for EU account 9","amount":30000,"currency":"EUR"}`)
	policy := string(triage.DefaultPolicy().MarshalIndented())
	tests := []struct {
		name, method, path, body string
		allowed, refused         triage.Role
		okStatus                 int
	}{
		{"create", "POST", "/v1/exceptions", `{"type":"other","text":"hello","id":"%s"}`, triage.RoleSupport, triage.RoleAnalyst, 201},
		// re-posting an item's source and id must not read it (OWASP API1)
		{"repeat", "POST", "/v1/exceptions", finBody, triage.RoleFinance, triage.RoleSupport, 200},
		{"get own queue item", "GET", fmt.Sprintf("/v1/exceptions/%d", fin), "", triage.RoleFinance, triage.RoleSupport, 200},
		{"analyst reads all", "GET", fmt.Sprintf("/v1/exceptions/%d", tax), "", triage.RoleAnalyst, triage.RoleRevOps, 200},
		{"queue", "GET", "/v1/queues/tax", "", triage.RoleTax, triage.RoleFinance, 200},
		{"reassign", "POST", fmt.Sprintf("/v1/exceptions/%d/reassign", tax), `{"queue":"tax","note":"stays"}`, triage.RoleTax, triage.RoleSupport, 200},
		// the tax item was not enriched: the allowed role passes the check and gets 409
		{"revert", "POST", fmt.Sprintf("/v1/exceptions/%d/revert", tax), `{"reason":"wrong account"}`, triage.RoleTax, triage.RoleFinance, 409},
		{"claim", "POST", fmt.Sprintf("/v1/exceptions/%d/claim", tax), "", triage.RoleTax, triage.RoleSupport, 200},
		// giving an item to someone else is a lead's (admin's) right
		{"assign", "POST", fmt.Sprintf("/v1/exceptions/%d/assign", tax), `{"assignee":"fay"}`, triage.RoleAdmin, triage.RoleTax, 200},
		{"list comments", "GET", fmt.Sprintf("/v1/exceptions/%d/comments", tax), "", triage.RoleAnalyst, triage.RoleFinance, 200},
		{"comment", "POST", fmt.Sprintf("/v1/exceptions/%d/comments", tax), `{"body":"asked for the VAT id"}`, triage.RoleTax, triage.RoleAnalyst, 201},
		{"bulk", "POST", "/v1/bulk", fmt.Sprintf(`{"op":"reassign","queue":"tax","ids":[%d],"dry_run":true}`, tax), triage.RoleTax, triage.RoleAnalyst, 200},
		{"auto-enriched", "GET", "/v1/auto-enriched?type=tax_inconsistency", "", triage.RoleAnalyst, triage.RoleIntegration, 200},
		{"resolve", "POST", fmt.Sprintf("/v1/exceptions/%d/resolution", fin), `{"verdict":"edit","root_cause":"erp_timeout","action":"retry_posting"}`, triage.RoleFinance, triage.RoleAnalyst, 200},
		{"read policy", "GET", "/v1/policy", "", triage.RoleAnalyst, "", 200},
		{"change policy", "PUT", "/v1/policy", policy, triage.RoleAdmin, triage.RoleFinance, 200},
		{"preview policy", "POST", "/v1/policy/preview", policy, triage.RoleAdmin, triage.RoleAnalyst, 201},
		{"policy versions", "GET", "/v1/policy/versions", "", triage.RoleAnalyst, triage.RoleFinance, 200},
		// no such preview or version: the allowed role passes the check and gets 404
		{"read preview", "GET", "/v1/policy/previews/999999", "", triage.RoleAnalyst, triage.RoleSupport, 404},
		{"policy version", "GET", "/v1/policy/versions/999999", "", triage.RoleAnalyst, triage.RoleTax, 404},
		{"rollback policy", "POST", "/v1/policy/versions/999999/rollback", `{"reason":"x"}`, triage.RoleAdmin, triage.RoleAnalyst, 404},
		// the candidate is the policy in force: past the check, a conflict
		{"start shadow", "POST", "/v1/policy/shadow", policy, triage.RoleAdmin, triage.RoleAnalyst, 409},
		{"shadow report", "GET", "/v1/policy/shadow", "", triage.RoleAnalyst, triage.RoleRevOps, 404},
		{"promote shadow", "POST", "/v1/policy/shadow/999999/promote", "", triage.RoleAdmin, triage.RoleFinance, 404},
		{"discard shadow", "POST", "/v1/policy/shadow/999999/discard", "", triage.RoleAdmin, triage.RoleIntegration, 404},
		{"list models", "GET", "/v1/models", "", triage.RoleAnalyst, "", 200},
		// no such model: the admin passes the role check and gets 404
		{"activate model", "POST", "/v1/models/risk-nope/activate", "", triage.RoleAdmin, triage.RoleRevOps, 404},
		// an integration submits but reads nothing
		{"integration submits", "POST", "/v1/exceptions", `{"type":"other","text":"hello","id":"%s"}`, triage.RoleIntegration, triage.RoleAnalyst, 201},
		{"integration reads no item", "GET", fmt.Sprintf("/v1/exceptions/%d", fin), "", triage.RoleFinance, triage.RoleIntegration, 200},
		{"integration sees no queue", "GET", "/v1/queues/finance", "", triage.RoleFinance, triage.RoleIntegration, 200},
		{"integration resolves nothing", "POST", fmt.Sprintf("/v1/exceptions/%d/reassign", tax), `{"queue":"tax"}`, triage.RoleAdmin, triage.RoleIntegration, 200},
		{"report posting", "POST", "/v1/postings", `{"posting_id":"%s","invoice_id":"INV-1","status":"posted"}`, triage.RoleIntegration, triage.RoleFinance, 200},
		{"admin reports postings", "POST", "/v1/postings", `{"posting_id":"%s","invoice_id":"INV-1","status":"posted"}`, triage.RoleAdmin, triage.RoleAnalyst, 200},
		{"add webhook", "POST", "/v1/webhooks", `{"url":"https://hooks.example.com/%s"}`, triage.RoleAdmin, triage.RoleAnalyst, 201},
		{"list webhooks", "GET", "/v1/webhooks", "", triage.RoleAdmin, triage.RoleAnalyst, 200},
		// no such endpoint or delivery: the admin passes the role check and gets 404
		{"rotate webhook secret", "POST", "/v1/webhooks/999999/rotate", "", triage.RoleAdmin, triage.RoleFinance, 404},
		{"remove webhook", "DELETE", "/v1/webhooks/999999", "", triage.RoleAdmin, triage.RoleIntegration, 404},
		{"list deliveries", "GET", "/v1/deliveries?state=dead", "", triage.RoleAnalyst, triage.RoleSupport, 200},
		{"redeliver", "POST", "/v1/deliveries/999999/redeliver", "", triage.RoleAdmin, triage.RoleAnalyst, 404},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := tc.body
			if strings.Contains(body, "%s") {
				body = fmt.Sprintf(body, fmt.Sprint("k", i))
			}
			for _, c := range []struct {
				who    string
				key    string
				status int
			}{
				{"no key", "", 401}, {"unknown key", "btk_thisisnotakeyatall", 401}, {"revoked key", f.revoked, 401},
				{"refused role " + string(tc.refused), f.keys[tc.refused], 403},
				{"allowed role " + string(tc.allowed), f.keys[tc.allowed], tc.okStatus},
			} {
				if c.key == "" && c.status == 403 {
					continue // no refused role for this route
				}
				f.as = c.key
				if status, resp := f.do(t, tc.method, tc.path, body); status != c.status {
					t.Errorf("%s: %d, want %d (%v)", c.who, status, c.status, resp["detail"])
				}
			}
		})
	}
	// The resolution names the authenticated caller, not a name in the body.
	f.as = f.keys[triage.RoleAdmin]
	_, view := f.do(t, "GET", fmt.Sprintf("/v1/exceptions/%d", fin), "")
	audit := view["audit"].([]any)
	if last := audit[len(audit)-1].(map[string]any); last["actor"] != "finance:test-finance" {
		t.Errorf("audit actor %v", last["actor"])
	}
}

func TestUnauthenticatedAnswerSaysHow(t *testing.T) {
	f := setup(t)
	req, _ := http.NewRequest("GET", f.srv.URL+"/v1/policy", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 || !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
		t.Errorf("%d %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	}
	req.Header.Set("X-API-Key", f.keys[triage.RoleAnalyst])
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("X-API-Key header: %d", resp.StatusCode)
	}
}

func (f *fixture) create(t *testing.T, body string) int64 {
	t.Helper()
	f.as = f.keys[triage.RoleAdmin]
	status, resp := f.do(t, "POST", "/v1/exceptions", body)
	if status != 201 {
		t.Fatalf("create: %d %v", status, resp)
	}
	return int64(resp["exception"].(map[string]any)["id"].(float64))
}

// TestASquattedIDIsRefused: a team posting first under another system's
// source and id does not get the real record dropped: the real one is
// refused with 409 naming the id, and the stored one is unchanged.
func TestASquattedIDIsRefused(t *testing.T) {
	f := setup(t)
	f.as = f.keys[triage.RoleSupport]
	squat := `{"source":"erp-connector","id":"EXC-900001","type":"billing_dispute","text":"refund me please"}`
	status, first := f.do(t, "POST", "/v1/exceptions", squat)
	if status != 201 {
		t.Fatalf("squat: %d %v", status, first)
	}
	f.as = f.keys[triage.RoleFinance]
	real := `{"source":"erp-connector","id":"EXC-900001","type":"erp_posting_failure","text":"SAP posting rejected for INV-9","amount":250000,"currency":"USD"}`
	if status, body := f.do(t, "POST", "/v1/exceptions", real); status != 409 || body["field"] != "id" {
		t.Errorf("the real record: %d %v, want 409 naming id", status, body)
	}
	f.as = f.keys[triage.RoleAdmin]
	id := int64(first["exception"].(map[string]any)["id"].(float64))
	_, view := f.do(t, "GET", fmt.Sprintf("/v1/exceptions/%d", id), "")
	if ex := view["exception"].(map[string]any); ex["text"] != "refund me please" || ex["amount"] != nil {
		t.Errorf("the stored record changed: %v", ex)
	}
	f.as = f.keys[triage.RoleSupport]
	if status, body := f.do(t, "POST", "/v1/exceptions", squat); status != 200 || body["created"] != false {
		t.Errorf("the same content again is a retry: %d %v", status, body)
	}
}

package api_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/billtriage/billtriage/triage"
)

// The governed change over HTTP, checked against the OpenAPI document:
// PUT without a fresh preview is a 409 problem naming preview_id; with
// one it is a version with its preview; the version's diff, a rollback,
// a shadow and its promotion follow.
func TestGovernedChangeOverHTTP(t *testing.T) {
	f := setup(t)
	f.as = f.keys[triage.RoleAdmin]
	cand := triage.DefaultPolicy()
	cand.DefaultThreshold = 0.75
	body := string(cand.MarshalIndented())
	for _, path := range []string{"/v1/policy", "/v1/policy?preview_id=999999"} {
		status, p := f.do(t, "PUT", path, body)
		if status != http.StatusConflict || p["field"] != "preview_id" || p["code"] != "conflict" {
			t.Errorf("PUT %s: %d %v, want 409 naming preview_id", path, status, p)
		}
	}
	if status, p := f.do(t, "PUT", "/v1/policy?preview_id=x", body); status != http.StatusBadRequest || p["field"] != "preview_id" {
		t.Errorf("a malformed preview id: %d %v", status, p)
	}
	if status, p := f.do(t, "POST", "/v1/policy/preview?since=91d", body); status != http.StatusBadRequest || p["field"] != "since" {
		t.Errorf("a window past 90 days: %d %v", status, p)
	}
	status, pv := f.do(t, "POST", "/v1/policy/preview?since=30d", body)
	if status != http.StatusCreated {
		t.Fatalf("preview: %d %v", status, pv)
	}
	id := int64(pv["id"].(float64))
	if status, got := f.do(t, "GET", fmt.Sprintf("/v1/policy/previews/%d", id), ""); status != http.StatusOK || got["version"] != pv["version"] {
		t.Errorf("stored preview: %d %v", status, got["version"])
	}
	if status, p := f.do(t, "PUT", fmt.Sprintf("/v1/policy?preview_id=%d&reason=review", id), body); status != http.StatusOK || p["version"] != pv["version"] {
		t.Fatalf("activation with its preview: %d %v", status, p)
	}
	_, list := f.do(t, "GET", "/v1/policy/versions", "")
	vs := list["versions"].([]any)
	newest := vs[0].(map[string]any)
	if newest["active"] != true || newest["preview_id"] != float64(id) || newest["reason"] != "review" || newest["change"] != "activate" {
		t.Errorf("newest version %v", newest)
	}
	status, detail := f.do(t, "GET", fmt.Sprintf("/v1/policy/versions/%d", int64(newest["id"].(float64))), "")
	diff, _ := detail["diff"].([]any)
	if status != http.StatusOK || len(diff) != 1 || diff[0].(map[string]any)["path"] != "default_threshold" {
		t.Errorf("version detail: %d, diff %v", status, diff)
	}
	// A shadow of a stricter policy, then its promotion.
	strict := triage.DefaultPolicy()
	strict.DefaultThreshold = 0.95
	sbody := string(strict.MarshalIndented())
	if status, p := f.do(t, "POST", "/v1/policy/shadow", sbody); status != http.StatusConflict || p["field"] != "preview_id" {
		t.Errorf("a shadow without a preview: %d %v", status, p)
	}
	_, spv := f.do(t, "POST", "/v1/policy/preview", sbody)
	status, sh := f.do(t, "POST", fmt.Sprintf("/v1/policy/shadow?preview_id=%d", int64(spv["id"].(float64))), sbody)
	if status != http.StatusCreated {
		t.Fatalf("start shadow: %d %v", status, sh)
	}
	f.create(t, `{"id":"sh-1","type":"tax_inconsistency","text":"Avalara rejected invoice: customer VAT ID missing for EU account 77","amount":30,"currency":"EUR"}`)
	status, rep := f.do(t, "GET", "/v1/policy/shadow", "")
	if status != http.StatusOK || rep["decisions"] != float64(1) {
		t.Errorf("shadow report: %d %v", status, rep)
	}
	sid := int64(sh["id"].(float64))
	status, v := f.do(t, "POST", fmt.Sprintf("/v1/policy/shadow/%d/promote", sid), `{"reason":"stricter"}`)
	if status != http.StatusOK || v["change"] != "promote" || f.svc.Policy().DefaultThreshold != 0.95 {
		t.Errorf("promote: %d %v", status, v)
	}
	if status, _ := f.do(t, "POST", fmt.Sprintf("/v1/policy/shadow/%d/discard", sid), ""); status != http.StatusConflict {
		t.Errorf("discarding a promoted shadow: %d", status)
	}
	// Roll back to the activated version.
	status, rb := f.do(t, "POST", fmt.Sprintf("/v1/policy/versions/%d/rollback", int64(newest["id"].(float64))), `{"reason":"too strict"}`)
	if status != http.StatusOK || rb["change"] != "rollback" || f.svc.Policy().DefaultThreshold != 0.75 {
		t.Errorf("rollback: %d %v", status, rb)
	}
}

package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
)

// TestClassifierShadowOverHTTP drives the classifier shadow through the
// front door: the listing, the admin-only start, its conflicts and bad
// input naming the field, the report's agreement and precision on judged
// items, and promotion. Every request and answer is checked against the
// OpenAPI document by the fixture.
func TestClassifierShadowOverHTTP(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	key := postgres.ClassifierKey{Type: triage.TaxInconsistency, Embedder: "", Config: "cfg-test"}
	var versions []int64
	for range 2 {
		v, err := f.store.SaveClassifier(ctx, postgres.ClassifierModel{ClassifierKey: key, TrainedOn: 10, Body: []byte("not decoded here")})
		if err != nil {
			t.Fatal(err)
		}
		versions = append(versions, v)
	}
	old, inUse := versions[0], versions[1]
	status, list := f.do(t, "GET", "/v1/classifiers", "")
	if status != http.StatusOK || len(list["versions"].([]any)) != 2 || list["versions"].([]any)[0].(map[string]any)["in_use"] != true {
		t.Fatalf("list: %d %v", status, list)
	}
	start := func(v int64) string { return fmt.Sprintf("/v1/classifiers/tax_inconsistency/versions/%d/shadow", v) }
	admin := f.as
	f.as = f.keys[triage.RoleFinance]
	if status, p := f.do(t, "POST", start(old), ""); status != http.StatusForbidden {
		t.Errorf("finance starts a shadow: %d %v", status, p)
	}
	if status, p := f.do(t, "GET", "/v1/classifiers/shadow", ""); status != http.StatusForbidden {
		t.Errorf("finance reads the report: %d %v", status, p)
	}
	f.as = admin
	if status, p := f.do(t, "POST", start(inUse), ""); status != http.StatusConflict {
		t.Errorf("shadowing the version in use: %d %v", status, p)
	}
	if status, p := f.do(t, "POST", start(999999), ""); status != http.StatusNotFound {
		t.Errorf("shadowing an unknown version: %d %v", status, p)
	}
	bad := []struct{ path, body, field string }{
		{"/v1/classifiers/tax_inconsistency/versions/x/shadow", "", "version"},
		{"/v1/classifiers/tax_inconsistency/versions/0/shadow", "", "version"},
		{fmt.Sprintf("/v1/classifiers/n%%C3%%B6pe/versions/%d/shadow", old), "", "type"},
		{start(old), fmt.Sprintf(`{"reason": %q}`, strings.Repeat("x", triage.MaxReasonLen+1)), "reason"},
	}
	for _, b := range bad {
		if status, p := f.do(t, "POST", b.path, b.body); status != http.StatusBadRequest || p["field"] != b.field {
			t.Errorf("POST %s: %d %v, want 400 naming %s", b.path, status, p, b.field)
		}
	}
	status, sh := f.do(t, "POST", start(old), `{"reason": "try the older one"}`)
	if status != http.StatusCreated || sh["version"] != float64(old) || sh["active_version"] != float64(inUse) {
		t.Fatalf("start: %d %v", status, sh)
	}
	id := int64(sh["id"].(float64))
	if status, p := f.do(t, "POST", start(old), ""); status != http.StatusConflict || p["code"] != "conflict" {
		t.Errorf("a second shadow: %d %v", status, p)
	}
	predictThreeItems(t, f, id)
	status, rep := f.do(t, "GET", "/v1/classifiers/shadow", "")
	if status != http.StatusOK || rep["predicted"] != float64(3) || rep["agreed"] != float64(1) || rep["outcome_changed"] != float64(1) || rep["judged"] != float64(2) {
		t.Fatalf("report: %d %v", status, rep)
	}
	prec := func(side string) map[string]any { return rep[side].(map[string]any) }
	// Judged: item 0 (both right) and item 1 (only the candidate right).
	if prec("active")["right"] != float64(1) || prec("candidate")["right"] != float64(2) || prec("candidate")["precision"] != float64(1) ||
		prec("active")["precision"] != 0.5 || prec("active")["low"].(float64) >= 0.5 || prec("active")["high"].(float64) <= 0.5 {
		t.Errorf("precision active %v, candidate %v", prec("active"), prec("candidate"))
	}
	f.as = f.keys[triage.RoleAnalyst]
	if status, p := f.do(t, "GET", fmt.Sprintf("/v1/classifiers/shadow?id=%d", id), ""); status != http.StatusOK {
		t.Errorf("the analyst reads the report: %d %v", status, p)
	}
	if status, p := f.do(t, "POST", fmt.Sprintf("/v1/classifiers/shadow/%d/promote", id), ""); status != http.StatusForbidden {
		t.Errorf("the analyst promotes: %d %v", status, p)
	}
	f.as = admin
	for _, path := range []string{"/v1/classifiers/shadow?id=x", "/v1/classifiers/shadow/x/promote", "/v1/classifiers/shadow/0/discard"} {
		method := "POST"
		if strings.HasPrefix(path, "/v1/classifiers/shadow?") {
			method = "GET"
		}
		if status, p := f.do(t, method, path, ""); status != http.StatusBadRequest || p["field"] != "id" {
			t.Errorf("%s %s: %d %v, want 400 naming id", method, path, status, p)
		}
	}
	status, ended := f.do(t, "POST", fmt.Sprintf("/v1/classifiers/shadow/%d/promote", id), `{"reason": "right more often"}`)
	if status != http.StatusOK || ended["outcome"] != "promoted" || ended["promoted_as"].(float64) <= float64(inUse) {
		t.Fatalf("promote: %d %v", status, ended)
	}
	if m, err := f.store.LatestClassifier(ctx, key, 0); err != nil || m.Version != int64(ended["promoted_as"].(float64)) {
		t.Errorf("newest version after promotion %d (%v)", m.Version, err)
	}
	for _, action := range []string{"promote", "discard"} {
		if status, p := f.do(t, "POST", fmt.Sprintf("/v1/classifiers/shadow/%d/%s", id, action), ""); status != http.StatusConflict {
			t.Errorf("%s an ended shadow: %d %v", action, status, p)
		}
	}
	status, started := f.do(t, "POST", start(inUse), "")
	if status != http.StatusCreated {
		t.Fatalf("start again: %d %v", status, started)
	}
	if status, p := f.do(t, "POST", fmt.Sprintf("/v1/classifiers/shadow/%v/discard", started["id"]), `{"reason": "enough"}`); status != http.StatusNoContent {
		t.Errorf("discard: %d %v", status, p)
	}
	if status, p := f.do(t, "GET", "/v1/classifiers/shadow", ""); status != http.StatusNotFound {
		t.Errorf("report with none running: %d %v", status, p)
	}
}

// predictThreeItems records the shadow's suggestions for three decided
// items, as the hook would (the service here has no classifier), and has
// a person resolve the first two.
func predictThreeItems(t *testing.T, f *fixture, shadowID int64) {
	t.Helper()
	ctx := context.Background()
	p := triage.Principal{KeyID: 1, Name: "t", Role: triage.RoleAdmin}
	// Active and candidate suggestions per item; the person's answer.
	rows := []struct{ active, cand, person [2]string }{
		{[2]string{"missing_tax_id", "request_tax_id"}, [2]string{"missing_tax_id", "request_tax_id"}, [2]string{"missing_tax_id", "request_tax_id"}},
		{[2]string{"missing_tax_id", "request_tax_id"}, [2]string{"wrong_jurisdiction", "fix_jurisdiction"}, [2]string{"wrong_jurisdiction", "fix_jurisdiction"}},
		{[2]string{"missing_tax_id", "request_tax_id"}, [2]string{"exempt_customer", "attach_certificate"}, [2]string{}},
	}
	for i, r := range rows {
		subs, err := f.svc.Submit(ctx, p, []triage.Exception{{Source: "t", ExternalID: fmt.Sprint("cs-", i), Type: triage.TaxInconsistency,
			Text: fmt.Sprintf("Steuerprüfung fehlgeschlagen für Rechnung %d", i), OccurredAt: time.Now().Add(-time.Hour)}})
		if err != nil {
			t.Fatal(err)
		}
		d := subs[0].Decision
		cand := d.Outcome
		if i == 1 {
			cand = triage.OutcomeQueue
			if d.Outcome == triage.OutcomeQueue {
				cand = triage.OutcomeAuto
			}
		}
		if err := f.store.SaveClassifierShadowPrediction(ctx, triage.ClassifierShadowPrediction{ShadowID: shadowID, ExceptionID: subs[0].Exception.ID,
			DecisionID: d.ID, Type: triage.TaxInconsistency, ActiveModel: d.ModelVersion, ActiveRootCause: r.active[0], ActiveAction: r.active[1],
			ActiveConfidence: 0.9, ActiveOutcome: d.Outcome, ActiveQueue: d.AssignedQueue, CandidateRootCause: r.cand[0], CandidateAction: r.cand[1],
			CandidateConfidence: 0.8, CandidateOutcome: cand, CandidateQueue: d.AssignedQueue, DecidedAt: d.DecidedAt}); err != nil {
			t.Fatal(err)
		}
		if r.person[0] == "" {
			continue
		}
		if _, _, err := f.svc.Resolve(ctx, p, subs[0].Exception.ID, triage.ResolutionInput{Verdict: triage.VerdictEdit,
			RootCause: r.person[0], Action: r.person[1]}); err != nil {
			t.Fatal(err)
		}
	}
}

package api_test

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// TestRiskModelShadowOverHTTP drives the risk-model shadow through the
// front door: the admin-only start, its conflicts and bad input naming the
// field, the report's figures on known outcomes, and promotion.
func TestRiskModelShadowOverHTTP(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, v := range []string{"risk-a", "risk-b"} {
		if err := f.store.SaveModel(ctx, triage.RiskModel{Version: v, Family: "logistic", FeatureHash: "abc123", Features: []string{"amount_usd"},
			LateDays: 30, TrainedFrom: from, TrainedTo: from.AddDate(0, 6, 0), Metrics: map[string]any{"auc": 0.7}, Body: []byte("{}")}); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.store.ActivateModel(ctx, "risk-a"); err != nil {
		t.Fatal(err)
	}
	admin := f.as
	f.as = f.keys[triage.RoleFinance]
	if status, p := f.do(t, "POST", "/v1/models/risk-b/shadow", ""); status != http.StatusForbidden {
		t.Errorf("finance starts a shadow: %d %v", status, p)
	}
	if status, p := f.do(t, "GET", "/v1/models/shadow", ""); status != http.StatusForbidden {
		t.Errorf("finance reads the report: %d %v", status, p)
	}
	f.as = admin
	if status, p := f.do(t, "POST", "/v1/models/risk-a/shadow", ""); status != http.StatusConflict {
		t.Errorf("shadowing the active model: %d %v", status, p)
	}
	if status, p := f.do(t, "POST", "/v1/models/nope/shadow", ""); status != http.StatusNotFound {
		t.Errorf("shadowing an unknown model: %d %v", status, p)
	}
	long := fmt.Sprintf(`{"reason": %q}`, strings.Repeat("x", triage.MaxReasonLen+1))
	if status, p := f.do(t, "POST", "/v1/models/risk-b/shadow", long); status != http.StatusBadRequest || p["field"] != "reason" {
		t.Errorf("an overlong reason: %d %v", status, p)
	}
	status, sh := f.do(t, "POST", "/v1/models/risk-b/shadow", `{"reason": "try b"}`)
	if status != http.StatusCreated || sh["version"] != "risk-b" || sh["active_version"] != "risk-a" {
		t.Fatalf("start: %d %v", status, sh)
	}
	id := int64(sh["id"].(float64))
	if status, p := f.do(t, "POST", "/v1/models/risk-b/shadow", ""); status != http.StatusConflict || p["code"] != "conflict" {
		t.Errorf("a second shadow: %d %v", status, p)
	}
	scoreTwoItems(t, f, id)
	status, rep := f.do(t, "GET", "/v1/models/shadow", "")
	if status != http.StatusOK || rep["scored"] != float64(2) || rep["known"] != float64(2) || rep["late"] != float64(1) || rep["outcome_changed"] != float64(1) {
		t.Fatalf("report: %d %v", status, rep)
	}
	brier := func(side string) float64 {
		return rep[side].(map[string]any)["brier"].(map[string]any)["value"].(float64)
	}
	// (0.2² + 0.4²)/2 and (0.1² + 0.1²)/2.
	if math.Abs(brier("active")-0.1) > 1e-9 || math.Abs(brier("candidate")-0.01) > 1e-9 || math.Abs(rep["mean_abs_diff"].(float64)-0.2) > 1e-9 {
		t.Errorf("Brier %.4f / %.4f, mean difference %v", brier("active"), brier("candidate"), rep["mean_abs_diff"])
	}
	f.as = f.keys[triage.RoleAnalyst]
	if status, p := f.do(t, "GET", fmt.Sprintf("/v1/models/shadow?id=%d", id), ""); status != http.StatusOK {
		t.Errorf("the analyst reads the report: %d %v", status, p)
	}
	if status, p := f.do(t, "POST", fmt.Sprintf("/v1/models/shadow/%d/promote", id), ""); status != http.StatusForbidden {
		t.Errorf("the analyst promotes: %d %v", status, p)
	}
	f.as = admin
	for _, path := range []string{"/v1/models/shadow?id=x", "/v1/models/shadow/x/promote", "/v1/models/shadow/0/discard"} {
		method := "POST"
		if strings.HasPrefix(path, "/v1/models/shadow?") {
			method = "GET"
		}
		if status, p := f.do(t, method, path, ""); status != http.StatusBadRequest || p["field"] != "id" {
			t.Errorf("%s %s: %d %v, want 400 naming id", method, path, status, p)
		}
	}
	status, ended := f.do(t, "POST", fmt.Sprintf("/v1/models/shadow/%d/promote", id), `{"reason": "b is better calibrated"}`)
	if status != http.StatusOK || ended["outcome"] != "promoted" {
		t.Fatalf("promote: %d %v", status, ended)
	}
	if v, err := f.store.ActiveModelVersion(ctx); err != nil || v != "risk-b" {
		t.Errorf("active model after promotion %q (%v)", v, err)
	}
	for _, action := range []string{"promote", "discard"} {
		if status, p := f.do(t, "POST", fmt.Sprintf("/v1/models/shadow/%d/%s", id, action), ""); status != http.StatusConflict {
			t.Errorf("%s an ended shadow: %d %v", action, status, p)
		}
	}
	status, started := f.do(t, "POST", "/v1/models/risk-a/shadow", "")
	if status != http.StatusCreated {
		t.Fatalf("start again: %d %v", status, started)
	}
	if status, p := f.do(t, "POST", fmt.Sprintf("/v1/models/shadow/%v/discard", started["id"]), `{"reason": "enough"}`); status != http.StatusNoContent {
		t.Errorf("discard: %d %v", status, p)
	}
	if status, p := f.do(t, "GET", "/v1/models/shadow", ""); status != http.StatusNotFound {
		t.Errorf("report with none running: %d %v", status, p)
	}
}

// scoreTwoItems records the shadow's scores of two decided items whose
// invoices' outcomes are known: one paid on time, one never paid. The
// service here scores no risk, so the rows are written as the hook would.
func scoreTwoItems(t *testing.T, f *fixture, shadowID int64) {
	t.Helper()
	ctx := context.Background()
	due := time.Now().AddDate(0, -4, 0).UTC()
	paid := due.AddDate(0, 0, -2)
	invs := []triage.Invoice{
		{InvoiceID: "R/2024#1", CustomerID: "acme ltd", IssuedAt: due.AddDate(0, -1, 0), DueAt: due, Amount: 10, Currency: "EUR", PaidAt: &paid},
		{InvoiceID: "R/2024#2", CustomerID: "acme ltd", IssuedAt: due.AddDate(0, -1, 0), DueAt: due, Amount: 20, Currency: "EUR"},
	}
	if err := f.store.UpsertInvoices(ctx, invs); err != nil {
		t.Fatal(err)
	}
	scores := [][2]float64{{0.2, 0.1}, {0.6, 0.9}}
	for i, in := range invs {
		subs, err := f.svc.Submit(ctx, triage.Principal{KeyID: 1, Name: "t", Role: triage.RoleAdmin}, []triage.Exception{{Source: "t",
			ExternalID: fmt.Sprint("rs-", i), Type: triage.TaxInconsistency, Text: "Avalara rejected invoice: customer VAT ID missing",
			InvoiceID: in.InvoiceID, CustomerID: in.CustomerID, OccurredAt: in.IssuedAt}})
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
		if err := f.store.SaveModelShadowScore(ctx, triage.ModelShadowScore{ShadowID: shadowID, ExceptionID: subs[0].Exception.ID, DecisionID: d.ID,
			InvoiceID: in.InvoiceID, Type: triage.TaxInconsistency, ActiveVersion: "risk-a", ActiveScore: scores[i][0], ActiveOutcome: d.Outcome,
			ActiveQueue: d.AssignedQueue, CandidateVersion: "risk-b", CandidateScore: scores[i][1], CandidateOutcome: cand,
			CandidateQueue: d.AssignedQueue, DecidedAt: d.DecidedAt}); err != nil {
			t.Fatal(err)
		}
	}
}

package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/api/contract"
	"github.com/billtriage/billtriage/disputes/email"
	"github.com/billtriage/billtriage/triage"
)

// checker validates every exchange the API tests make: they all use
// http.DefaultClient (f.do, http.Get), which TestMain routes through it, so
// a request the server accepts but the document refuses, or a response the
// document does not describe, fails the test that made it.
var checker *contract.Transport

func TestMain(m *testing.M) {
	var err error
	if checker, err = contract.NewTransport(http.DefaultTransport); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	http.DefaultClient = &http.Client{Transport: checker}
	os.Exit(m.Run())
}

// TestFixtureRequestsAreChecked guards the hook: if the fixture stopped
// using http.DefaultClient, the other tests would pass unchecked.
func TestFixtureRequestsAreChecked(t *testing.T) {
	f := setup(t)
	before := checker.Checked()
	if status, body := f.do(t, "GET", "/v1/policy", ""); status != http.StatusOK {
		t.Fatalf("policy: %d %v", status, body)
	}
	if checker.Checked() != before+1 {
		t.Errorf("f.do's exchange was not checked against the OpenAPI document (%d checked before, %d after)", before, checker.Checked())
	}
}

// TestOpenAPIIsServed checks the document is served without a key, as
// JSON, and is the embedded one.
func TestOpenAPIIsServed(t *testing.T) {
	f := setup(t)
	f.as = ""
	status, doc := f.do(t, "GET", "/openapi.json", "")
	if status != http.StatusOK || doc["openapi"] != "3.0.3" {
		t.Fatalf("GET /openapi.json: %d, openapi %v", status, doc["openapi"])
	}
	paths, _ := doc["paths"].(map[string]any)
	if _, ok := paths["/v1/exceptions"]; !ok {
		t.Errorf("the served document lacks /v1/exceptions: %v", paths)
	}
}

// TestPoliciesRoundTripThroughTheDocument puts the policy the server
// serves back, so the request schema (PolicyInput) is checked against a
// complete policy, not only the default one the role test puts.
func TestPoliciesRoundTripThroughTheDocument(t *testing.T) {
	f := setup(t)
	pol := triage.DefaultPolicy()
	pol.RootCauseQueues = map[string]triage.Queue{"missing_tax_id": triage.QueueTax}
	pol.EnrichmentThresholds = map[string]float64{"account_id": 0.9}
	pol.MoneyFields = []string{"amount"}
	pol.ActionThresholds = map[string]float64{"request_tax_id": 0.95}
	status, body := f.putPolicy(t, string(pol.MarshalIndented()))
	if status != http.StatusOK {
		t.Fatalf("put: %d %v", status, body)
	}
	if status, body = f.do(t, "PUT", "/v1/policy", `{"neighbors": 10}`); status != http.StatusBadRequest || body["field"] != "default_queues" {
		t.Errorf("a policy without default_queues: %d %v", status, body)
	}
}

// TestDisputeIntakeMatchesTheDocument posts pasted emails, so the dispute
// result, parsed email included, is checked against the document.
func TestDisputeIntakeMatchesTheDocument(t *testing.T) {
	f := setup(t)
	msg := "From: Ana Ruiz <ana@acme.example>\r\nTo: billing@vendor.example\r\nSubject: Charged twice for INV-2041\r\n" +
		"Date: Tue, 3 Jun 2025 09:12:00 +0000\r\n\r\nHello,\r\n\r\nwe were charged $1,200.00 twice for INV-2041 on 2 June. Please refund one.\r\n\r\nAna\r\n"
	body, _ := json.Marshal(map[string]string{"text": msg})
	status, res := f.do(t, "POST", "/v1/disputes", string(body))
	if status != http.StatusCreated || res["created"] != true {
		t.Fatalf("dispute: %d %v", status, res)
	}
	parsed, _ := res["email"].(map[string]any)
	if parsed["subject"] != "Charged twice for INV-2041" || fmt.Sprint(parsed["invoice_ids"]) != "[INV-2041]" {
		t.Errorf("parsed email %v", parsed)
	}
	if status, res = f.do(t, "POST", "/v1/disputes", string(body)); status != http.StatusOK || res["created"] != false {
		t.Errorf("repeat: %d %v", status, res["created"])
	}
	// A bare paste: no headers, so no sender, date or recipients.
	if status, res = f.do(t, "POST", "/v1/disputes", `{"text":"Why was I billed for 12 seats? We have 10.","customer_id":"c-9"}`); status != http.StatusCreated {
		t.Errorf("bare paste: %d %v", status, res)
	}
	big, _ := json.Marshal(map[string]string{"text": strings.Repeat("refund ", email.MaxBytes/7+1)})
	for _, tc := range []struct {
		name, body string
		status     int
	}{
		{"empty text", `{"text":"  "}`, 400},
		{"unknown field", `{"text":"x","subject":"y"}`, 400},
		{"too large", string(big), 413},
	} {
		if status, res := f.do(t, "POST", "/v1/disputes", tc.body); status != tc.status {
			t.Errorf("%s: %d, want %d (%v)", tc.name, status, tc.status, res)
		}
	}
	f.as = f.keys[triage.RoleAnalyst]
	if status, _ := f.do(t, "POST", "/v1/disputes", string(body)); status != http.StatusForbidden {
		t.Errorf("analyst: %d, want 403", status)
	}
}

// TestModelRegistryMatchesTheDocument lists and activates a stored model,
// so the registry's JSON (not only an empty list) is checked.
func TestModelRegistryMatchesTheDocument(t *testing.T) {
	f := setup(t)
	from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	err := f.store.SaveModel(context.Background(), triage.RiskModel{Version: "risk-contract", Family: "logistic",
		FeatureHash: "abc123", Features: []string{"amount_usd", "days_late_before"}, LateDays: 30, TrainedFrom: from,
		TrainedTo: from.AddDate(0, 6, 0), Metrics: map[string]any{"auc": 0.81}, Body: []byte("{}")})
	if err != nil {
		t.Fatal(err)
	}
	if status, res := f.do(t, "POST", "/v1/models/risk-contract/activate", ""); status != http.StatusOK || res["active"] != "risk-contract" {
		t.Fatalf("activate: %d %v", status, res)
	}
	status, res := f.do(t, "GET", "/v1/models", "")
	models, _ := res["models"].([]any)
	if status != http.StatusOK || len(models) != 1 || models[0].(map[string]any)["active"] != true {
		t.Errorf("models: %d %v", status, res)
	}
}

package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
)

// TestDecisionParamsCarryTheirSource checks that GET /v1/exceptions/{id}
// returns each suggested parameter with where it came from (issue 14), and
// that the contract check accepts the answer.
func TestDecisionParamsCarryTheirSource(t *testing.T) {
	f := setup(t)
	if err := f.svc.ImportHistory(context.Background(), creditHistory(12)); err != nil {
		t.Fatal(err)
	}
	ex := creditCase("INV-9001", "INV-9001", 412.5)
	body, _ := json.Marshal(map[string]any{"id": ex.ExternalID, "source": ex.Source, "type": ex.Type, "text": ex.Text,
		"invoice_id": ex.InvoiceID, "amount": *ex.Amount, "currency": ex.Currency, "attributes": ex.Attributes,
		"occurred_at": ex.OccurredAt})
	status, res := f.do(t, "POST", "/v1/exceptions", string(body))
	if status != http.StatusCreated {
		t.Fatalf("create: %d %v", status, res)
	}
	id := int64(res["exception"].(map[string]any)["id"].(float64))
	status, got := f.do(t, "GET", fmt.Sprintf("/v1/exceptions/%d", id), "")
	if status != http.StatusOK {
		t.Fatalf("get: %d %v", status, got)
	}
	dec := got["decision"].(map[string]any)
	if dec["action"] != creditAction {
		t.Fatalf("action %v, want %s (reasons %v)", dec["action"], creditAction, dec["reasons"])
	}
	sources, _ := dec["param_sources"].(map[string]any)
	for name, want := range map[string]struct {
		value any
		from  string
	}{
		"invoice_id": {"INV-9001", "invoice_id"},
		"amount":     {412.5, "amount"},
		"entity":     {"UK02", "attributes.entity"},
	} {
		sp, _ := sources[name].(map[string]any)
		if sp["source"] != "case" || sp["from"] != want.from || sp["value"] != want.value || sp["required"] != true {
			t.Errorf("param_sources.%s = %v, want %v from the case's %s, required", name, sp, want.value, want.from)
		}
		if c, _ := sp["confidence"].(float64); c < 0.9 || sp["evidence"] != float64(12) {
			t.Errorf("param_sources.%s confidence %v over %v cases, want ≥ 0.9 over 12", name, sp["confidence"], sp["evidence"])
		}
		if _, ok := sp["text_says"]; ok {
			t.Errorf("param_sources.%s has text_says %v, but the text agrees", name, sp["text_says"])
		}
		if params, _ := dec["params"].(map[string]any); params[name] != want.value {
			t.Errorf("params.%s = %v, want the source's value %v", name, params[name], want.value)
		}
	}
	if pc, _ := dec["pair_confidence"].(float64); pc <= 0 || pc < dec["confidence"].(float64) {
		t.Errorf("pair_confidence %v with confidence %v: the pair's must be positive and no lower", dec["pair_confidence"], dec["confidence"])
	}
}

package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/billtriage/billtriage/triage"
)

const failedPostingBody = `{"posting_id":"NS-88120","invoice_id":"INV-7710","customer_id":"C-1042","status":"failed",
	"error":"Invalid account reference key 4010 for subsidiary US01","amount":1250.5,"currency":"USD","erp":"netsuite",
	"occurred_at":"2025-05-02T08:00:00Z"}`

func TestAFailedPostingRaisesOneException(t *testing.T) {
	f := setup(t)
	f.as = f.keys[triage.RoleIntegration]
	status, first := f.do(t, "POST", "/v1/postings", failedPostingBody)
	if status != http.StatusCreated {
		t.Fatalf("first report: %d %v", status, first)
	}
	sub := first["submission"].(map[string]any)
	ex := sub["exception"].(map[string]any)
	if ex["type"] != "erp_posting_failure" || ex["source"] != "erp-posting" || ex["external_id"] != "NS-88120" ||
		ex["text"] != "netsuite posting failed for invoice INV-7710: Invalid account reference key 4010 for subsidiary US01" {
		t.Errorf("raised %v", ex)
	}
	status, again := f.do(t, "POST", "/v1/postings", failedPostingBody)
	if status != http.StatusOK || again["submission"].(map[string]any)["created"] != false ||
		again["submission"].(map[string]any)["exception"].(map[string]any)["id"] != ex["id"] {
		t.Errorf("repeat: %d %v, want 200 with exception %v", status, again, ex["id"])
	}
	st, err := f.store.Stats(context.Background(), time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC))
	if err != nil || st.PostingsFailed != 1 || st.PostingsTotal != 1 || st.Received != 1 {
		t.Errorf("after one posting reported twice: %d of %d postings failed, %d exceptions (%v)", st.PostingsFailed, st.PostingsTotal, st.Received, err)
	}
}

func TestASuccessfulPostingIsRecorded(t *testing.T) {
	f := setup(t)
	f.as = f.keys[triage.RoleIntegration]
	body := `{"posting_id":"NS-1","invoice_id":"INV-1","status":"posted","erp":"netsuite"}`
	status, rep := f.do(t, "POST", "/v1/postings", body)
	if status != http.StatusOK || rep["submission"] != nil || rep["posting"].(map[string]any)["status"] != "posted" {
		t.Fatalf("report: %d %v", status, rep)
	}
	st, err := f.store.Stats(context.Background(), time.Now().Add(-time.Hour))
	if err != nil || st.PostingsFailed != 0 || st.PostingsTotal != 1 || st.Received != 0 {
		t.Errorf("after one success: %d of %d postings failed, %d exceptions (%v)", st.PostingsFailed, st.PostingsTotal, st.Received, err)
	}
}

func TestABadPostingIsRefusedNamingTheField(t *testing.T) {
	f := setup(t)
	f.as = f.keys[triage.RoleIntegration]
	tests := []struct{ body, field string }{
		{`{"invoice_id":"INV-1","status":"posted"}`, "posting_id"},
		{`{"posting_id":"P","status":"posted"}`, "invoice_id"},
		{`{"posting_id":"P","invoice_id":"INV-1","status":"pending"}`, "status"},
		{`{"posting_id":"P","invoice_id":"INV-1","status":"failed"}`, "error"},
		{`{"posting_id":"P","invoice_id":"INV-1","status":"posted","occurred_at":"yesterday"}`, "occurred_at"},
		{`{"posting_id":"P","invoice_id":"INV-1","status":"posted","amount":"ten"}`, "amount"},
		{`{"posting_id":"P","invoice_id":"INV-1","status":"posted","currency":"ZZZ"}`, "currency"},
		{`{"posting_id":"P","invoice_id":"INV-1","status":"posted","exception_id":4}`, "exception_id"},
	}
	for _, tc := range tests {
		if status, body := f.do(t, "POST", "/v1/postings", tc.body); status != 400 || body["field"] != tc.field {
			t.Errorf("%s: %d %v, want 400 naming %s", tc.body, status, body, tc.field)
		}
	}
	// The same posting id with another failure is another record under a
	// used key.
	if status, _ := f.do(t, "POST", "/v1/postings", failedPostingBody); status != http.StatusCreated {
		t.Fatalf("first report: %d", status)
	}
	other := `{"posting_id":"NS-88120","invoice_id":"INV-7710","status":"failed","error":"Period closed"}`
	if status, body := f.do(t, "POST", "/v1/postings", other); status != http.StatusConflict || body["field"] != "posting_id" {
		t.Errorf("another failure under the same posting id: %d %v", status, body)
	}
}

package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// checksSetup is setup with a history the checks learn from: a SKU's
// revenue account in an entity, corrected three times, and the
// customer's invoices.
func checksSetup(t *testing.T) *fixture {
	t.Helper()
	f := setup(t)
	ctx := context.Background()
	var hist []triage.Resolution
	for i := range 3 {
		at := time.Now().Add(-time.Duration(72-i) * time.Hour)
		hist = append(hist, triage.Resolution{ExternalID: fmt.Sprint("gl", i), Type: triage.ERPPostingFailure,
			Text:      "Journal rejected: revenue account missing for item gizmo-9 in ledger LEDGER-EU",
			RootCause: "no_revenue_account", Action: "map_revenue_account", Queue: triage.QueueFinance,
			Params:     map[string]any{"corrections": []any{map[string]any{"field": "gl_account", "key": "gizmo-9@LEDGER-EU", "from": "", "to": "REV-700-LEDGER-EU"}}},
			Facts:      &triage.Facts{CustomerID: "K-77", Region: "Europe", Currency: "EUR", Attributes: map[string]any{"entity": "LEDGER-EU", "sku": "gizmo-9"}},
			OccurredAt: at, ResolvedAt: at.Add(time.Hour)})
	}
	if err := f.svc.ImportHistory(ctx, hist); err != nil {
		t.Fatal(err)
	}
	inv := triage.Invoice{InvoiceID: "BILL-1", CustomerID: "K-77", IssuedAt: time.Now().Add(-30 * 24 * time.Hour), DueAt: time.Now(), Amount: 100, Currency: "EUR", Region: "Europe"}
	if err := f.store.UpsertInvoices(ctx, []triage.Invoice{inv}); err != nil {
		t.Fatal(err)
	}
	return f
}

// draftBody is a draft of K-77 posting gizmo-9 to account gl.
func draftBody(id, gl string) string {
	period := time.Now().UTC().Format("2006-01")
	return fmt.Sprintf(`{"draft_id":%q,"customer_id":"K-77","entity":"LEDGER-EU","currency":"EUR","region":"Europe","period":%q,
		"lines":[{"sku":"gizmo-9","amount":250,"gl_account":%q}]}`, id, period, gl)
}

func TestACleanDraftIsReleased(t *testing.T) {
	f := checksSetup(t)
	f.as = f.keys[triage.RoleIntegration]
	status, res := f.do(t, "POST", "/v1/checks/invoices", draftBody("D-1", "REV-700-LEDGER-EU"))
	if status != http.StatusOK || res["release"] != true || len(res["findings"].([]any)) != 0 || res["raised"] != nil {
		t.Fatalf("clean draft: %d %v", status, res)
	}
}

func TestAFindingRaisesOneExceptionBeforePosting(t *testing.T) {
	f := checksSetup(t)
	f.as = f.keys[triage.RoleIntegration]
	status, res := f.do(t, "POST", "/v1/checks/invoices", draftBody("D-2", "REV-100-LEDGER-EU"))
	if status != http.StatusOK || res["release"] != false {
		t.Fatalf("faulty draft: %d %v", status, res)
	}
	fd := res["findings"].([]any)[0].(map[string]any)
	if fd["check"] != "revenue_account" || fd["field"] != "lines[0].gl_account" || fd["expected"] != "REV-700-LEDGER-EU" ||
		fd["evidence"] != "gizmo-9@LEDGER-EU → REV-700-LEDGER-EU in 3 resolved cases" || fd["severity"] != "error" {
		t.Errorf("finding %v", fd)
	}
	raised := res["raised"].([]any)
	sub := raised[0].(map[string]any)
	ex := sub["exception"].(map[string]any)
	if len(raised) != 1 || sub["created"] != true || ex["type"] != "erp_posting_failure" || ex["source"] != triage.CheckSource ||
		ex["external_id"] != "D-2#revenue_account" || ex["status"] != "queued" {
		t.Errorf("raised %v", raised)
	}
	// Checking the same draft again raises nothing new.
	_, again := f.do(t, "POST", "/v1/checks/invoices", draftBody("D-2", "REV-100-LEDGER-EU"))
	sub2 := again["raised"].([]any)[0].(map[string]any)
	if sub2["created"] != false || sub2["exception"].(map[string]any)["id"] != ex["id"] {
		t.Errorf("retry raised %v, want exception %v again", sub2, ex["id"])
	}
}

func TestABatchOfDraftsIsCheckedInOrder(t *testing.T) {
	f := checksSetup(t)
	body := fmt.Sprintf(`{"drafts":[%s,%s]}`, draftBody("D-3", "REV-700-LEDGER-EU"), draftBody("D-4", "REV-100-LEDGER-EU"))
	status, res := f.do(t, "POST", "/v1/checks/invoices", body)
	if status != http.StatusOK {
		t.Fatalf("batch: %d %v", status, res)
	}
	rs := res["results"].([]any)
	first, second := rs[0].(map[string]any), rs[1].(map[string]any)
	if len(rs) != 2 || first["draft_id"] != "D-3" || first["release"] != true || second["draft_id"] != "D-4" || second["release"] != false {
		t.Errorf("results %v", rs)
	}
}

func TestABadDraftIsRefusedNamingTheField(t *testing.T) {
	f := checksSetup(t)
	period := time.Now().UTC().Format("2006-01")
	line := `"lines":[{"sku":"gizmo-9"}]`
	var many []string
	for i := range triage.MaxDrafts + 1 {
		many = append(many, draftBody(fmt.Sprint("M-", i), ""))
	}
	tests := []struct{ body, field string }{
		{`{"customer_id":"K","entity":"E","currency":"EUR","period":"` + period + `",` + line + `}`, "draft_id"},
		{`{"draft_id":"X","customer_id":"K","entity":"E","currency":"EUR","period":"May",` + line + `}`, "period"},
		{`{"draft_id":"X","customer_id":"K","entity":"E","currency":"EUR","period":"` + period + `","lines":[]}`, "lines"},
		{`{"draft_id":"X","customer_id":"K","entity":"E","currency":"EUR","period":"` + period + `","lines":[{"sku":""}]}`, "lines[0].sku"},
		{`{"draft_id":"X","customer_id":"K","entity":"E","currency":"EUR","period":"` + period + `","lines":[{"sku":"s","amount":"ten"}]}`, "lines.amount"},
		{`{"draft_id":"X","customer_id":"K","entity":"E","currency":"EUR","period":"` + period + `","posting_date":"soon",` + line + `}`, "posting_date"},
		{`{"draft_id":"X","customer_id":"K","entity":"E","currency":"EUR","period":"` + period + `","colour":"red",` + line + `}`, "colour"},
		{`{"drafts":[` + draftBody("A", "") + `,{"draft_id":"B"}]}`, "drafts[1].customer_id"},
		{`{"drafts":[` + draftBody("A", "") + `,` + draftBody("A", "") + `]}`, "drafts[1].draft_id"},
		{`{"drafts":[]}`, "drafts"},
		{`{"drafts":[` + strings.Join(many, ",") + `]}`, "drafts"},
	}
	for _, tc := range tests {
		if status, body := f.do(t, "POST", "/v1/checks/invoices", tc.body); status != http.StatusBadRequest || body["field"] != tc.field {
			t.Errorf("%.80s: %d %v, want 400 naming %s", tc.body, status, body, tc.field)
		}
	}
	f.as = f.keys[triage.RoleAnalyst]
	if status, _ := f.do(t, "POST", "/v1/checks/invoices", draftBody("D-9", "")); status != http.StatusForbidden {
		t.Errorf("analyst: %d, want 403", status)
	}
}

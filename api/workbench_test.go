package api_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/billtriage/billtriage/triage"
)

// queuedTax is a tax case the history cannot explain: it is queued.
const queuedTax = `{"id":"%s","type":"tax_inconsistency","text":"Tax engine timeout while computing invoice %s, unknown reason","amount":30000,"currency":"EUR"}`

func TestClaimCommentAndAssignOverTheAPI(t *testing.T) {
	f := setup(t)
	id := f.create(t, fmt.Sprintf(queuedTax, "q1", "q1"))
	path := fmt.Sprintf("/v1/exceptions/%d", id)

	f.as = f.keys[triage.RoleTax]
	status, body := f.do(t, "POST", path+"/claim", "")
	if status != 200 || body["exception"].(map[string]any)["assignee"] != "test-tax" {
		t.Fatalf("claim: %d %v", status, body)
	}
	if status, body = f.do(t, "POST", path+"/comments", `{"body":"asked the customer for the VAT id"}`); status != 201 || body["author"] != "tax:test-tax" {
		t.Fatalf("comment: %d %v", status, body)
	}
	f.as = f.keys[triage.RoleAdmin]
	if status, body = f.do(t, "POST", path+"/claim", ""); status != 409 {
		t.Errorf("claiming a held item: %d %v", status, body)
	}
	if status, body = f.do(t, "POST", path+"/assign", `{"assignee":"fay"}`); status != 200 {
		t.Errorf("assign: %d %v", status, body)
	}
	status, body = f.do(t, "GET", path, "")
	if status != 200 || body["exception"].(map[string]any)["assignee"] != "fay" || len(body["comments"].([]any)) != 1 {
		t.Fatalf("detail: %d %v", status, body)
	}
	if status, body = f.do(t, "GET", path+"/comments", ""); status != 200 || len(body["items"].([]any)) != 1 {
		t.Errorf("comments: %d %v", status, body)
	}
}

func TestWorkbenchInputErrorsNameTheField(t *testing.T) {
	f := setup(t)
	id := f.create(t, fmt.Sprintf(queuedTax, "q1", "q1"))
	for _, tc := range []struct {
		name, method, path, body, field string
	}{
		{"empty comment", "POST", fmt.Sprintf("/v1/exceptions/%d/comments", id), `{"body":" "}`, "body"},
		{"assignee", "POST", fmt.Sprintf("/v1/exceptions/%d/assign", id), `{"assignee":"a\u0007b"}`, "assignee"},
		{"bulk op", "POST", "/v1/bulk", fmt.Sprintf(`{"op":"delete","ids":[%d]}`, id), "op"},
		{"bulk ids", "POST", "/v1/bulk", `{"op":"reject","ids":[]}`, "ids"},
		{"bulk queue", "POST", "/v1/bulk", fmt.Sprintf(`{"op":"reassign","ids":[%d]}`, id), "queue"},
		{"auto type", "GET", "/v1/auto-enriched?type=nope", "", "type"},
		{"auto from", "GET", "/v1/auto-enriched?from=yesterday", "", "from"},
		{"auto limit", "GET", "/v1/auto-enriched?limit=0", "", "limit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f.as = f.keys[triage.RoleAdmin]
			status, body := f.do(t, tc.method, tc.path, tc.body)
			if status != http.StatusBadRequest || body["field"] != tc.field {
				t.Errorf("%d %v, want 400 naming %s", status, body, tc.field)
			}
		})
	}
}

func TestBulkOverTheAPIReportsEachItem(t *testing.T) {
	f := setup(t)
	a := f.create(t, fmt.Sprintf(queuedTax, "q1", "q1"))
	b := f.create(t, fmt.Sprintf(queuedTax, "q2", "q2"))
	fin := f.create(t, `{"id":"fin","type":"erp_posting_failure","text":"SAP posting for INV-1 rejected, unknown reason","amount":30000,"currency":"USD"}`)
	f.as = f.keys[triage.RoleTax]
	req := fmt.Sprintf(`{"op":"reject","ids":[%d,%d,%d],"note":"duplicates of a closed case"%%s}`, a, b, fin)
	status, body := f.do(t, "POST", "/v1/bulk", fmt.Sprintf(req, `,"dry_run":true`))
	if status != 200 || body["ok"] != 2.0 || body["refused"] != 1.0 {
		t.Fatalf("dry run: %d %v", status, body)
	}
	items := body["items"].([]any)
	if e := items[2].(map[string]any); e["error"].(map[string]any)["code"] != "forbidden" || e["exception"] != nil {
		t.Errorf("the finance item for a tax key: %v", e)
	}
	status, body = f.do(t, "POST", "/v1/bulk", fmt.Sprintf(req, ""))
	if status != 200 || body["ok"] != 2.0 || body["dry_run"] != false {
		t.Fatalf("bulk: %d %v", status, body)
	}
	if ex := body["items"].([]any)[0].(map[string]any)["exception"].(map[string]any); ex["status"] != "rejected" {
		t.Errorf("item 0 is %v", ex["status"])
	}
}

// TestEditedResolutionIsInTheAPI: the fix for "the edited parameters
// appear nowhere": GET /v1/exceptions/{id} has the stored resolution, and
// its audit row the parameters.
func TestEditedResolutionIsInTheAPI(t *testing.T) {
	f := setup(t)
	id := f.create(t, fmt.Sprintf(queuedTax, "q1", "q1"))
	path := fmt.Sprintf("/v1/exceptions/%d", id)
	f.as = f.keys[triage.RoleTax]
	if status, body := f.do(t, "POST", path+"/resolution",
		`{"verdict":"edit","root_cause":"tax_engine_timeout","action":"recompute_tax","params":{"engine":"avalara"}}`); status != 200 {
		t.Fatalf("resolve: %d %v", status, body)
	}
	status, body := f.do(t, "GET", path, "")
	if status != 200 {
		t.Fatalf("get: %d %v", status, body)
	}
	res, _ := body["resolution"].(map[string]any)
	if res == nil || res["action"] != "recompute_tax" || res["params"].(map[string]any)["engine"] != "avalara" || res["verdict"] != "edit" {
		t.Errorf("resolution %v", res)
	}
	audit := body["audit"].([]any)
	last := audit[len(audit)-1].(map[string]any)
	if last["action"] != "resolved" || last["detail"].(map[string]any)["params"].(map[string]any)["engine"] != "avalara" {
		t.Errorf("audit row %v", last)
	}
}

func TestAutoEnrichedListAndRevertOverTheAPI(t *testing.T) {
	f := setup(t)
	id := f.create(t, taxCase) // auto-enriched: the history explains it
	f.as = f.keys[triage.RoleTax]
	for _, tc := range []struct {
		query string
		n     int
	}{
		{"", 1}, {"?type=tax_inconsistency&action=request_tax_id", 1}, {"?type=billing_dispute", 0},
		{"?action=other", 0}, {"?from=2000-01-01&to=2999-12-31", 1}, {"?to=2000-01-01", 0}, {"?limit=1", 1},
	} {
		status, body := f.do(t, "GET", "/v1/auto-enriched"+tc.query, "")
		if status != 200 || len(body["items"].([]any)) != tc.n {
			t.Errorf("%q: %d %v, want %d items", tc.query, status, body, tc.n)
		}
	}
	f.as = f.keys[triage.RoleFinance] // sees no tax item
	if status, body := f.do(t, "GET", "/v1/auto-enriched", ""); status != 200 || len(body["items"].([]any)) != 0 {
		t.Errorf("finance: %d %v", status, body)
	}
	f.as = f.keys[triage.RoleTax]
	if status, body := f.do(t, "POST", fmt.Sprintf("/v1/exceptions/%d/revert", id), `{"reason":"wrong"}`); status != 200 {
		t.Fatalf("revert: %d %v", status, body)
	}
	_, body := f.do(t, "GET", "/v1/auto-enriched", "")
	if it := body["items"].([]any)[0].(map[string]any); it["reverted"] != true || it["revertible"] != false {
		t.Errorf("after revert: %v", it)
	}
}

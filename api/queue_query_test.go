package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestQueueSearchFilterSortAPI reads a queue through GET /v1/queues/{queue}
// with the workbench's parameters: search, filters, order and the total,
// each checked against the OpenAPI document by the contract transport.
func TestQueueSearchFilterSortAPI(t *testing.T) {
	f := setup(t)
	var items []string
	for i := range 5 {
		items = append(items, fmt.Sprintf(`{"id":"w%d","type":"usage_mismatch","text":"usage file for meter api_calls arrived late, batch B-%d","amount":%d,"customer_id":"C-%d","invoice_id":"INV-64%02d"}`,
			i, i, 100*(i+1), i%2, i))
	}
	if status, body := f.do(t, "POST", "/v1/exceptions", "["+strings.Join(items, ",")+"]"); status != 200 {
		t.Fatalf("batch: %d %v", status, body)
	}
	ids := func(page map[string]any) []float64 {
		var out []float64
		for _, it := range page["items"].([]any) {
			out = append(out, it.(map[string]any)["amount"].(float64))
		}
		return out
	}
	for _, tc := range []struct {
		query   string
		amounts string
		total   float64
	}{
		{"", "[500 400 300 200 100]", 5},
		{"?q=inv-6403", "[400]", 1},
		{"?q=B-2+meter", "[300]", 1},
		{"?q=nowhere-to-be-found", "[]", 0},
		{"?customer=C-1", "[400 200]", 2},
		{"?min_amount=200&max_amount=400", "[400 300 200]", 3},
		{"?sort=amount", "[100 200 300 400 500]", 5},
		{"?sort=-amount&limit=2", "[500 400]", 5},
		{"?sort=customer&customer=C-0", "[500 300 100]", 3},
		{"?min_age=1h", "[]", 0},
		{"?max_age=7d&sort=id", "[100 200 300 400 500]", 5},
		{"?min_confidence=0&max_confidence=1&type=usage_mismatch", "[500 400 300 200 100]", 5},
	} {
		status, page := f.do(t, "GET", "/v1/queues/revops"+tc.query, "")
		if status != 200 {
			t.Errorf("%s: %d %v", tc.query, status, page)
			continue
		}
		if got := fmt.Sprint(ids(page)); got != tc.amounts || page["total"] != tc.total {
			t.Errorf("%s: amounts %s total %v, want %s total %v", tc.query, got, page["total"], tc.amounts, tc.total)
		}
		for _, it := range page["items"].([]any) {
			if why, _ := it.(map[string]any)["queued_because"].([]any); len(why) == 0 {
				t.Errorf("%s: item %v has no queued_because", tc.query, it.(map[string]any)["id"])
			}
		}
	}
	// Offset paging in another order than priority reaches every item once.
	var all []float64
	cursor := ""
	for range 5 {
		status, page := f.do(t, "GET", "/v1/queues/revops?sort=amount&limit=2&cursor="+cursor, "")
		if status != 200 {
			t.Fatalf("page: %d %v", status, page)
		}
		all = append(all, ids(page)...)
		if cursor, _ = page["next_cursor"].(string); cursor == "" {
			break
		}
	}
	if fmt.Sprint(all) != "[100 200 300 400 500]" {
		t.Errorf("paging by amount: %v", all)
	}
	for _, tc := range []struct{ query, field string }{
		{"?min_amount=ten", "min_amount"},
		{"?min_risk=2", "min_risk"},
		{"?min_confidence=0.9&max_confidence=0.1", "min_confidence"},
		{"?min_age=yesterday", "min_age"},
		{"?min_age=3d&max_age=1d", "min_age"},
		{"?why=bored", "why"},
		{"?sort=color", "sort"},
		{"?q=" + strings.Repeat("a+", 9), "q"},
	} {
		status, body := f.do(t, "GET", "/v1/queues/revops"+tc.query, "")
		if status != http.StatusBadRequest || body["field"] != tc.field {
			t.Errorf("%s: %d field %v, want 400 naming %s (%v)", tc.query, status, body["field"], tc.field, body)
		}
	}
}

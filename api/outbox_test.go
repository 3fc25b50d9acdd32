package api_test

import (
	"fmt"
	"net/http"
	"regexp"
	"testing"

	"github.com/billtriage/billtriage/triage"
)

var webhookSecret = regexp.MustCompile(`^whsec_[A-Za-z0-9+/]{43}=$`)

func TestWebhookEndpointsAreAddedListedRotatedAndRemoved(t *testing.T) {
	f := setup(t)
	status, ep := f.do(t, "POST", "/v1/webhooks", `{"url":"https://erp.example.com/hooks","events":["exception.resolved"]}`)
	if status != http.StatusCreated || !webhookSecret.MatchString(fmt.Sprint(ep["secret"])) {
		t.Fatalf("add: %d %v", status, ep)
	}
	id := int64(ep["id"].(float64))
	status, list := f.do(t, "GET", "/v1/webhooks", "")
	eps, _ := list["webhooks"].([]any)
	if status != http.StatusOK || len(eps) != 1 {
		t.Fatalf("list: %d %v", status, list)
	}
	if listed := eps[0].(map[string]any); listed["secret"] != nil || listed["secrets"] != nil || listed["url"] != "https://erp.example.com/hooks" {
		t.Errorf("the list shows a secret or the wrong endpoint: %v", listed)
	}
	status, rotated := f.do(t, "POST", fmt.Sprintf("/v1/webhooks/%d/rotate", id), "")
	if status != http.StatusOK || !webhookSecret.MatchString(fmt.Sprint(rotated["secret"])) || rotated["secret"] == ep["secret"] {
		t.Errorf("rotate: %d %v (first secret %v)", status, rotated, ep["secret"])
	}
	stored, err := f.store.Endpoint(t.Context(), id)
	if err != nil || len(stored.Secrets) != 2 || stored.Secrets[0] != rotated["secret"] || stored.Secrets[1] != ep["secret"] {
		t.Errorf("stored secrets %v (%v), want the new one then the previous", stored.Secrets, err)
	}
	if status, _ := f.do(t, "DELETE", fmt.Sprintf("/v1/webhooks/%d", id), ""); status != http.StatusNoContent {
		t.Errorf("delete: %d", status)
	}
	for _, tc := range []struct {
		method, path, body string
		status             int
		field              string
	}{
		{"DELETE", fmt.Sprintf("/v1/webhooks/%d", id), "", 404, ""},
		{"POST", fmt.Sprintf("/v1/webhooks/%d/rotate", id), "", 404, ""},
		{"DELETE", "/v1/webhooks/abc", "", 400, "id"},
		{"POST", "/v1/webhooks", `{"url":"ftp://x.example.com"}`, 400, "url"},
		{"POST", "/v1/webhooks", `{"url":"https://x.example.com","events":["exception.eaten"]}`, 400, "events"},
		{"POST", "/v1/webhooks", `{"url":"https://x.example.com","secret":"mine"}`, 400, "secret"},
	} {
		if status, body := f.do(t, tc.method, tc.path, tc.body); status != tc.status || body["field"] != nilIfEmpty(tc.field) {
			t.Errorf("%s %s %s: %d %v, want %d naming %q", tc.method, tc.path, tc.body, status, body, tc.status, tc.field)
		}
	}
	if _, list = f.do(t, "GET", "/v1/webhooks", ""); len(list["webhooks"].([]any)) != 0 {
		t.Errorf("a removed endpoint is listed: %v", list)
	}
}

// nilIfEmpty is what a problem's field decodes to: absent when empty.
func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func TestADeadDeliveryIsRedelivered(t *testing.T) {
	f := setup(t)
	recv := &receiver{}
	if status, body := f.do(t, "POST", "/v1/webhooks", `{"url":"https://erp.example.com/hooks"}`); status != http.StatusCreated {
		t.Fatalf("add: %d %v", status, body)
	}
	startRunner(t, f.store, recv)
	f.create(t, taxCase)
	dead := waitDeliveries(t, f.svc, triage.DeliveryDead, 1)
	f.as = f.keys[triage.RoleAnalyst]
	status, list := f.do(t, "GET", "/v1/deliveries?state=dead&limit=10", "")
	ds, _ := list["deliveries"].([]any)
	if status != http.StatusOK || len(ds) != len(dead) {
		t.Fatalf("list dead: %d %v", status, list)
	}
	d := ds[0].(map[string]any)
	if d["state"] != "dead" || d["attempts"] != float64(2) || d["last_error"] != "attempt 2: receiver answered 503" || d["event_id"] == "" {
		t.Errorf("dead delivery %v", d)
	}
	recv.up.Store(true)
	f.as = f.keys[triage.RoleAdmin]
	path := fmt.Sprintf("/v1/deliveries/%d/redeliver", dead[0].ID)
	if status, body := f.do(t, "POST", path, ""); status != http.StatusOK || body["delivery"].(map[string]any)["id"] != float64(dead[0].ID) {
		t.Fatalf("redeliver: %d %v", status, body)
	}
	delivered := waitDeliveries(t, f.svc, triage.DeliveryDelivered, 1)
	if delivered[0].ID != dead[0].ID || recv.got.Load() == 0 {
		t.Errorf("delivered %v, want delivery %d; the receiver got %d", deliveryIDs(delivered), dead[0].ID, recv.got.Load())
	}
	for _, tc := range []struct {
		path   string
		status int
	}{{path, 409}, {"/v1/deliveries/999999/redeliver", 404}, {"/v1/deliveries/0/redeliver", 400}} {
		if status, body := f.do(t, "POST", tc.path, ""); status != tc.status {
			t.Errorf("POST %s: %d %v, want %d", tc.path, status, body, tc.status)
		}
	}
	for _, q := range []string{"?state=lost", "?limit=0", "?limit=ten"} {
		if status, body := f.do(t, "GET", "/v1/deliveries"+q, ""); status != 400 {
			t.Errorf("GET /v1/deliveries%s: %d %v, want 400", q, status, body)
		}
	}
}

package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/api"
	"github.com/billtriage/billtriage/embeddings"
	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
	"github.com/billtriage/billtriage/triage/postgres/pgtest"
)

type fixture struct {
	srv     *httptest.Server
	svc     *triage.Service
	store   *postgres.Store
	keys    map[triage.Role]string
	revoked string
	as      string // the key f.do sends; admin unless changed
}

// setup builds the fixture; adjust, when given, changes the server's
// configuration.
func setup(t *testing.T, adjust ...func(*api.Config)) *fixture {
	t.Helper()
	db := pgtest.Open(t)
	emb, err := embeddings.NewLocal(256)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.EnsureIndex(context.Background(), emb.Name(), emb.Dims()); err != nil {
		t.Fatal(err)
	}
	st := postgres.NewStore(db)
	svc := triage.NewService(triage.Config{Store: st, Embedder: emb, Policies: st, Models: st, ModelShadows: st, ClassifierShadows: st, Outbox: st, Postings: st, Views: st, CheckHistory: st, Drift: st, Alarms: st})
	var hist []triage.Resolution
	for i := range 10 {
		hist = append(hist, triage.Resolution{ExternalID: fmt.Sprint("h", i), Type: triage.TaxInconsistency,
			Text:      fmt.Sprintf("Avalara rejected invoice: customer VAT ID missing for EU account %d", i),
			RootCause: "missing_tax_id", Action: "request_tax_id", Queue: triage.QueueTax,
			OccurredAt: time.Now().Add(-48 * time.Hour), ResolvedAt: time.Now().Add(-24 * time.Hour)})
	}
	if err := svc.ImportHistory(context.Background(), hist); err != nil {
		t.Fatal(err)
	}
	adjust = append([]func(*api.Config){func(c *api.Config) { c.MaxBody = 1 << 20 }}, adjust...)
	srv := httptest.NewServer(newServer(t, svc, st, db, adjust...))
	t.Cleanup(srv.Close)
	f := &fixture{srv: srv, svc: svc, store: st, keys: map[triage.Role]string{}}
	for _, role := range triage.Roles {
		_, secret, err := st.CreateKey(context.Background(), "test-"+string(role), role)
		if err != nil {
			t.Fatal(err)
		}
		f.keys[role] = secret
	}
	k, secret, err := st.CreateKey(context.Background(), "gone", triage.RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.RevokeKey(context.Background(), k.ID); err != nil {
		t.Fatal(err)
	}
	f.revoked, f.as = secret, f.keys[triage.RoleAdmin]
	return f
}

func (f *fixture) do(t *testing.T, method, path, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, f.srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if f.as != "" {
		req.Header.Set("Authorization", "Bearer "+f.as)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("%s %s: body is not JSON: %s", method, path, raw)
		}
	}
	if resp.StatusCode >= 400 && resp.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("%s %s: error content type %q", method, path, resp.Header.Get("Content-Type"))
	}
	return resp.StatusCode, out
}

const taxCase = `{"id":"x1","source":"tax-engine","type":"tax_inconsistency","occurred_at":"2025-05-01T10:00:00Z",
	"text":"Avalara rejected invoice: customer VAT ID missing for EU account 4411","amount":250,"currency":"EUR"}`

func TestBadInputIsRefusedNamingTheField(t *testing.T) {
	f := setup(t)
	big := `{"type":"other","text":"` + strings.Repeat("a", 2<<20) + `"}`
	var batch []string
	for range api.MaxBatch + 1 {
		batch = append(batch, `{"type":"other","text":"t"}`)
	}
	tests := []struct {
		name, body string
		status     int
		field      string
	}{
		{"unknown type", `{"type":"weird","text":"x"}`, 400, "type"},
		{"missing text", `{"type":"other"}`, 400, "text"},
		{"bad time", `{"type":"other","text":"x","occurred_at":"yesterday"}`, 400, "occurred_at"},
		{"amount not a number", `{"type":"other","text":"x","amount":"ten"}`, 400, "amount"},
		{"unknown field", `{"type":"other","text":"x","colour":"red"}`, 400, "colour"},
		{"history is not posted", `{"type":"other","text":"x","resolution":{"root_cause":"a","action":"b"}}`, 400, "resolution"},
		{"batch item field", `[` + taxCase + `,{"type":"other","text":"x","amount":[1]}]`, 400, "exceptions[1].amount"},
		{"malformed", `{"type":`, 400, ""},
		{"empty", ``, 400, ""},
		{"batch item", `{"exceptions":[` + taxCase + `,{"type":"nope","text":"x"}]}`, 400, "exceptions[1].type"},
		{"batch too big", "[" + strings.Join(batch, ",") + "]", 400, "exceptions"},
		{"too large", big, 413, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := f.do(t, "POST", "/v1/exceptions", tc.body)
			if status != tc.status {
				t.Fatalf("status %d, want %d: %v", status, tc.status, body)
			}
			if got, _ := body["field"].(string); got != tc.field {
				t.Errorf("field %q, want %q (%v)", got, tc.field, body["detail"])
			}
			if body["detail"] == "" || body["status"] != float64(tc.status) {
				t.Errorf("problem body %v", body)
			}
		})
	}
	// Nothing from the refused batch was stored: its valid first item can
	// still be created fresh.
	status, _ := f.do(t, "POST", "/v1/exceptions", taxCase)
	if status != http.StatusCreated {
		t.Errorf("after refused batch, create = %d", status)
	}
}

func TestCreateGetResolve(t *testing.T) {
	f := setup(t)
	status, body := f.do(t, "POST", "/v1/exceptions", taxCase)
	if status != http.StatusCreated {
		t.Fatalf("create: %d %v", status, body)
	}
	ex := body["exception"].(map[string]any)
	dec := body["decision"].(map[string]any)
	if dec["root_cause"] != "missing_tax_id" || dec["outcome"] != "auto" || ex["status"] != "auto_enriched" {
		t.Fatalf("decision %v / status %v", dec["root_cause"], ex["status"])
	}
	id := int64(ex["id"].(float64))
	status, again := f.do(t, "POST", "/v1/exceptions", taxCase)
	if status != http.StatusOK || again["created"] != false {
		t.Errorf("repeat: %d %v", status, again["created"])
	}
	status, got := f.do(t, "GET", fmt.Sprintf("/v1/exceptions/%d", id), "")
	if status != 200 || len(got["audit"].([]any)) != 3 || len(got["decision"].(map[string]any)["neighbors"].([]any)) != 10 {
		t.Fatalf("get: %d %v", status, got)
	}
	status, res := f.do(t, "POST", fmt.Sprintf("/v1/exceptions/%d/resolution", id), `{"verdict":"accept"}`)
	if status != 200 || res["exception"].(map[string]any)["status"] != "resolved" {
		t.Fatalf("resolve: %d %v", status, res)
	}
	status, res = f.do(t, "POST", fmt.Sprintf("/v1/exceptions/%d/resolution", id), `{"verdict":"accept"}`)
	if status != http.StatusConflict {
		t.Errorf("second resolve: %d %v", status, res)
	}
	for _, tc := range []struct {
		method, path, body string
		status             int
	}{
		{"GET", "/v1/exceptions/999999", "", 404},
		{"GET", "/v1/exceptions/abc", "", 400},
		{"POST", fmt.Sprintf("/v1/exceptions/%d/resolution", id), `{"verdict":"maybe"}`, 400},
		{"GET", "/v1/nothing", "", 404},
		{"DELETE", "/v1/exceptions", "", 405},
	} {
		if status, body := f.do(t, tc.method, tc.path, tc.body); status != tc.status {
			t.Errorf("%s %s = %d, want %d (%v)", tc.method, tc.path, status, tc.status, body)
		}
	}
}

func TestQueuePagination(t *testing.T) {
	f := setup(t)
	var items []string
	for i := range 5 {
		items = append(items, fmt.Sprintf(`{"id":"q%d","type":"usage_mismatch","text":"usage file for meter api_calls arrived late %d","amount":%d}`, i, i, 100*(i+1)))
	}
	status, body := f.do(t, "POST", "/v1/exceptions", "["+strings.Join(items, ",")+"]")
	if status != 200 || len(body["results"].([]any)) != 5 {
		t.Fatalf("batch: %d %v", status, body)
	}
	var amounts []float64
	cursor := ""
	for range 5 {
		status, page := f.do(t, "GET", "/v1/queues/revops?limit=2&cursor="+cursor, "")
		if status != 200 {
			t.Fatalf("queue: %d %v", status, page)
		}
		for _, it := range page["items"].([]any) {
			amounts = append(amounts, it.(map[string]any)["amount"].(float64))
		}
		c, _ := page["next_cursor"].(string)
		if cursor = c; cursor == "" {
			break
		}
	}
	if fmt.Sprint(amounts) != "[500 400 300 200 100]" {
		t.Errorf("queue order by priority: %v", amounts)
	}
	for _, path := range []string{"/v1/queues/legal", "/v1/queues/tax?type=bogus", "/v1/queues/tax?limit=0", "/v1/queues/tax?cursor=%21%21"} {
		if status, _ := f.do(t, "GET", path, ""); status != 400 {
			t.Errorf("%s = %d, want 400", path, status)
		}
	}
}

type downDB struct{}

func (downDB) Ping(context.Context) error { return errors.New("connection refused") }

func TestProbes(t *testing.T) {
	f := setup(t)
	if status, _ := f.do(t, "GET", "/healthz", ""); status != 200 {
		t.Errorf("healthz %d", status)
	}
	if status, _ := f.do(t, "GET", "/readyz", ""); status != 200 {
		t.Errorf("readyz %d", status)
	}
	down := httptest.NewServer(newServer(t, f.svc, f.store, downDB{}))
	defer down.Close()
	resp, err := http.Get(down.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 503 || bytes.Contains(raw, []byte("connection refused")) {
		t.Errorf("readyz with the database down: %d %s (internal detail must not leak)", resp.StatusCode, raw)
	}
}

func TestMetricsExposeKPIs(t *testing.T) {
	db := pgtest.Open(t)
	emb, _ := embeddings.NewLocal(256)
	_ = db.EnsureIndex(context.Background(), emb.Name(), emb.Dims())
	st := postgres.NewStore(db)
	m := api.NewMetrics(st)
	svc := triage.NewService(triage.Config{Store: st, Embedder: emb, Observer: m, Policies: st, Models: st})
	srv := httptest.NewServer(newServer(t, svc, st, db, func(c *api.Config) { c.Metrics = m }))
	defer srv.Close()
	_, key, _ := st.CreateKey(context.Background(), "m", triage.RoleAdmin)
	f := &fixture{srv: srv, svc: svc, as: key}
	if status, _ := f.do(t, "POST", "/v1/exceptions", taxCase); status != 201 {
		t.Fatal(status)
	}
	resp, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`billtriage_decisions_total{outcome="queue",type="tax_inconsistency"} 1`,
		`billtriage_queue_size{queue="tax"} 1`,
		`billtriage_exceptions_received_24h{type="tax_inconsistency"} 1`,
		`billtriage_triage_duration_seconds_count 1`,
		`billtriage_queue_oldest_age_seconds{queue="finance"} 0`,
		`billtriage_undecided_exceptions 0`,
	} {
		if !bytes.Contains(raw, []byte(want)) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

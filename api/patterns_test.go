package api_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// risingPattern finds the ledger-mapping pattern in a list answer.
func risingPattern(t *testing.T, body map[string]any) map[string]any {
	t.Helper()
	ps, _ := body["patterns"].([]any)
	for _, p := range ps {
		m := p.(map[string]any)
		if m["root_cause"] == "revenue_account_unmapped" {
			return m
		}
	}
	t.Fatalf("no revenue_account_unmapped pattern in %v", body)
	return nil
}

func TestPatternsListAndDetail(t *testing.T) {
	f := setupPatterns(t, true)
	code, body := f.api.do(t, "GET", "/v1/patterns", "")
	if code != http.StatusOK || body["run"] == nil {
		t.Fatalf("list: %d %v", code, body)
	}
	p := risingPattern(t, body)
	if p["size"].(float64) != 23 || p["open"].(float64) != 3 || p["action"] != "map_revenue_account" {
		t.Fatalf("pattern %v: want 23 members, 3 open, action map_revenue_account", p)
	}
	sp, _ := p["spike"].(map[string]any)
	if sp == nil || sp["observed"].(float64) != 9 || sp["expected"].(float64) >= 3 || sp["where"] != "ledger=QX-4" {
		t.Fatalf("spike %v: want 9 observed, under 3 expected, at ledger=QX-4", sp)
	}
	id := p["id"].(string)
	code, d := f.api.do(t, "GET", "/v1/patterns/"+id, "")
	ms, _ := d["members"].([]any)
	if code != http.StatusOK || len(ms) != 23 {
		t.Fatalf("detail: %d, %d members", code, len(ms))
	}
	var firstOpen []float64
	for _, m := range ms[:3] {
		firstOpen = append(firstOpen, m.(map[string]any)["exception_id"].(float64))
	}
	for _, want := range f.open {
		if !slices.Contains(firstOpen, float64(want)) {
			t.Fatalf("open item %d not listed first: %v", want, firstOpen)
		}
	}
	// Only spiking patterns, and only one type.
	code, body = f.api.do(t, "GET", "/v1/patterns?spiking=true&type=erp_posting_failure&limit=5", "")
	if ps := body["patterns"].([]any); code != http.StatusOK || len(ps) != 1 {
		t.Fatalf("filtered: %d %v", code, body)
	}
	code, body = f.api.do(t, "GET", "/v1/patterns?type=billing_dispute", "")
	if ps := body["patterns"].([]any); code != http.StatusOK || len(ps) != 1 || ps[0].(map[string]any)["spike"] != nil {
		t.Fatalf("steady disputes: %d %v", code, body)
	}
}

func TestPatternsAreFilteredByRole(t *testing.T) {
	f := setupPatterns(t, true)
	_, body := f.api.do(t, "GET", "/v1/patterns", "")
	id := risingPattern(t, body)["id"].(string)
	for _, tc := range []struct {
		role          triage.Role
		code, members int
		hidden        float64
	}{
		{triage.RoleFinance, 200, 23, 0},
		{triage.RoleAnalyst, 200, 23, 0},
		{triage.RoleSupport, 200, 0, 23}, // finance's items, open or resolved, are not support's to see
		{triage.RoleIntegration, 403, 0, 0},
	} {
		f.api.as = f.api.keys[tc.role]
		code, d := f.api.do(t, "GET", "/v1/patterns/"+id, "")
		if code != tc.code {
			t.Fatalf("%s: %d %v", tc.role, code, d)
		}
		if code != 200 {
			continue
		}
		if ms := d["members"].([]any); len(ms) != tc.members || numOr0(d["hidden"]) != tc.hidden {
			t.Errorf("%s: %d members, %v hidden; want %d, %v", tc.role, len(ms), d["hidden"], tc.members, tc.hidden)
		}
	}
}

func numOr0(v any) float64 {
	f, _ := v.(float64)
	return f
}

func TestPatternsWrongInputIs4xx(t *testing.T) {
	f := setupPatterns(t, true)
	_, body := f.api.do(t, "GET", "/v1/patterns", "")
	id := risingPattern(t, body)["id"].(string)
	for _, tc := range []struct {
		method, path, body string
		code               int
		field              string
	}{
		{"GET", "/v1/patterns?type=nope", "", 400, "type"},
		{"GET", "/v1/patterns?limit=0", "", 400, "limit"},
		{"GET", "/v1/patterns?limit=501", "", 400, "limit"},
		{"GET", "/v1/patterns?limit=ten", "", 400, "limit"},
		{"GET", "/v1/patterns?spiking=maybe", "", 400, "spiking"},
		{"GET", "/v1/patterns/Not-An-Id", "", 400, "id"},
		{"GET", "/v1/patterns/p000000000000", "", 404, ""},
		{"POST", "/v1/patterns/" + id + "/resolve", `{"action":"map_revenue_account"}`, 400, "root_cause"},
		{"POST", "/v1/patterns/" + id + "/resolve", `{"root_cause":"revenue_account_unmapped"}`, 400, "action"},
		{"POST", "/v1/patterns/" + id + "/resolve", `{"root_cause":"x","action":"y","colour":"red"}`, 400, "colour"},
		{"POST", "/v1/patterns/" + id + "/resolve", `{"root_cause":"x","action":"issue_refund"}`, 400, "action"},
		{"POST", "/v1/patterns/" + id + "/resolve", `{"root_cause":"x","action":"y","params":{"corrections":"no"}}`, 400, "params.corrections"},
		{"POST", "/v1/patterns/" + id + "/resolve", `not json`, 400, ""},
		{"POST", "/v1/patterns/p000000000000/resolve", `{"root_cause":"x","action":"y"}`, 404, ""},
	} {
		t.Run(tc.method+" "+tc.path+" "+tc.body, func(t *testing.T) {
			code, body := f.api.do(t, tc.method, tc.path, tc.body)
			if code != tc.code {
				t.Fatalf("status %d, want %d: %v", code, tc.code, body)
			}
			if tc.field != "" && body["field"] != tc.field {
				t.Fatalf("field %v, want %s: %v", body["field"], tc.field, body)
			}
		})
	}
	for _, id := range f.open {
		assertStatus(t, f.ui, id, triage.StatusQueued)
	}
}

func TestPatternsBeforeTheFirstRun(t *testing.T) {
	f := setupPatterns(t, false)
	code, body := f.api.do(t, "GET", "/v1/patterns", "")
	if code != http.StatusOK || body["run"] != nil || len(body["patterns"].([]any)) != 0 {
		t.Fatalf("%d %v: want 200, run null, no patterns", code, body)
	}
	if code, _ := f.api.do(t, "GET", "/v1/patterns/p000000000000", ""); code != http.StatusNotFound {
		t.Fatalf("detail before any run: %d", code)
	}
	c := f.ui.signIn(t, triage.RoleFinance)
	code, page := c.get("/ui/patterns")
	if code != http.StatusOK {
		t.Fatalf("page: %d", code)
	}
	mustContain(t, page, `id="patterns-none"`)
	mustNotContain(t, page, `id="spike-banner"`)
}

func TestResolveAllLikeThis(t *testing.T) {
	f := setupPatterns(t, true)
	_, body := f.api.do(t, "GET", "/v1/patterns", "")
	id := risingPattern(t, body)["id"].(string)
	path := "/v1/patterns/" + id + "/resolve"
	req := `{"root_cause":"revenue_account_unmapped","action":"map_revenue_account","note":"QX-4 mapping restored after the release"}`

	// Roles that work no finance item change nothing; the analyst and the
	// integration may not act at all.
	for _, tc := range []struct {
		role triage.Role
		code int
	}{{triage.RoleAnalyst, 403}, {triage.RoleIntegration, 403}, {triage.RoleSupport, 200}} {
		f.api.as = f.api.keys[tc.role]
		code, out := f.api.do(t, "POST", path, req)
		if code != tc.code || (code == 200 && out["ok"].(float64) != 0) {
			t.Fatalf("%s: %d %v", tc.role, code, out)
		}
	}
	f.api.as = f.api.keys[triage.RoleFinance]
	code, out := f.api.do(t, "POST", path, strings.TrimSuffix(req, "}")+`,"dry_run":true}`)
	if code != 200 || out["ok"].(float64) != 3 || out["dry_run"] != true {
		t.Fatalf("dry run: %d %v", code, out)
	}
	for _, x := range f.open {
		assertStatus(t, f.ui, x, triage.StatusQueued)
	}
	code, out = f.api.do(t, "POST", path, req)
	if code != 200 || out["ok"].(float64) != 3 || out["refused"].(float64) != 0 {
		t.Fatalf("apply: %d %v", code, out)
	}
	fin := triage.Principal{Name: "test-finance", Role: triage.RoleFinance}
	for _, x := range f.open {
		d, err := f.ui.svc.Exception(context.Background(), fin, x)
		if err != nil {
			t.Fatal(err)
		}
		if d.Exception.Status != triage.StatusResolved {
			t.Fatalf("item %d is %s", x, d.Exception.Status)
		}
		named := 0
		for _, a := range d.Audit {
			if a.Action == triage.AuditResolved {
				if a.Detail["pattern"] != id || a.Detail["root_cause"] != "revenue_account_unmapped" || !strings.HasPrefix(a.Actor, "finance:") {
					t.Fatalf("item %d: audit %+v does not name the pattern and the person", x, a)
				}
				named++
			}
		}
		if named != 1 {
			t.Fatalf("item %d has %d resolution audit rows naming the pattern, want 1", x, named)
		}
	}
	// Nothing is left open: a second call changes nothing.
	code, out = f.api.do(t, "POST", path, req)
	if code != 200 || len(out["items"].([]any)) != 0 {
		t.Fatalf("second apply: %d %v", code, out)
	}
}

func TestPatternMetricsAndBanner(t *testing.T) {
	f := setupPatterns(t, true)
	resp, err := http.Get(f.ui.srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`billtriage_pattern_spikes{kind="pattern"} 1`, `billtriage_pattern_spikes_new{kind="pattern"} 1`, "billtriage_patterns 2"} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	c := f.ui.signIn(t, triage.RoleSupport)
	code, page := c.get("/ui/queues/support")
	if code != http.StatusOK {
		t.Fatalf("queue page: %d", code)
	}
	mustContain(t, page, `id="spike-banner"`, "revenue_account_unmapped", "ledger=QX-4", `href="/ui/patterns"`)
}

func TestPatternsPages(t *testing.T) {
	f := setupPatterns(t, true)
	_, body := f.api.do(t, "GET", "/v1/patterns", "")
	id := risingPattern(t, body)["id"].(string)
	c := f.ui.signIn(t, triage.RoleFinance)
	code, page := c.get("/ui/patterns")
	if code != http.StatusOK {
		t.Fatalf("list page: %d", code)
	}
	mustContain(t, page, `href="/ui/patterns/`+id+`"`, `<polyline points="`, "spike: 9 vs", `id="spikes"`, "ledger=QX-4")
	code, page = c.get("/ui/patterns/" + id)
	if code != http.StatusOK {
		t.Fatalf("pattern page: %d", code)
	}
	mustContain(t, page, `id="breakdown"`, "QX-4", `id="resolve-all"`, "Resolve 3 open items like this", fmt.Sprintf(`href="/ui/exceptions/%d"`, f.open[0]))
	resp, page := c.post("/ui/patterns/"+id+"/resolve", url.Values{"root_cause": {"revenue_account_unmapped"}, "action": {"map_revenue_account"}, "dry_run": {"1"}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("preview: %d", resp.StatusCode)
	}
	mustContain(t, page, "3 of 3 open items would be resolved")
	resp, page = c.post("/ui/patterns/"+id+"/resolve", url.Values{"root_cause": {"revenue_account_unmapped"}, "action": {"issue_refund"}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("money-moving: %d", resp.StatusCode)
	}
	mustContain(t, page, `id="resolve-error"`, "moves money")
	resp, page = c.post("/ui/patterns/"+id+"/resolve", url.Values{"root_cause": {"revenue_account_unmapped"}, "action": {"map_revenue_account"}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("apply: %d", resp.StatusCode)
	}
	mustContain(t, page, "3 of 3 open items resolved")
	for _, x := range f.open {
		assertStatus(t, f.ui, x, triage.StatusResolved)
	}
	a := f.ui.signIn(t, triage.RoleAnalyst)
	_, page = a.get("/ui/patterns/" + id)
	mustNotContain(t, page, `id="resolve-all"`)
}

// A new spike leaves the service as a pattern.detected event through the
// outbox, naming what rose; the next run flags the same series as not new,
// so it is announced once.
func TestNewSpikesArePatternDetectedEvents(t *testing.T) {
	f := setupPatterns(t, false)
	hook := &events{}
	startRunner(t, f.api.store, hook)
	if status, out := f.api.do(t, "POST", "/v1/webhooks", `{"url":"https://example.com/hook","events":["pattern.detected"]}`); status != http.StatusCreated {
		t.Fatalf("webhook: %d %v", status, out)
	}
	ctx := context.Background()
	first, err := f.api.svc.DetectPatterns(ctx, triage.PatternConfig{})
	if err != nil {
		t.Fatal(err)
	}
	fresh := 0
	for _, sp := range first.Spikes {
		if sp.New {
			fresh++
		}
	}
	if fresh == 0 {
		t.Fatalf("the rise was not flagged as a new spike: %+v", first.Spikes)
	}
	got := waitSpikeEvents(t, hook, fresh)
	if !slices.ContainsFunc(got, func(ev triage.Event) bool {
		return ev.Data.Spike.RootCause == "revenue_account_unmapped" && strings.Contains(ev.Data.Note, "revenue_account_unmapped")
	}) {
		t.Errorf("no pattern.detected event names the rising cause: %+v", got)
	}
	second, err := f.api.svc.DetectPatterns(ctx, triage.PatternConfig{})
	if err != nil {
		t.Fatal(err)
	}
	// Events are made only of new spikes, so a run that finds none sends
	// none.
	for _, sp := range second.Spikes {
		if sp.New {
			t.Errorf("the second run calls %s new again", sp.Key())
		}
	}
	if len(second.Spikes) == 0 {
		t.Errorf("the rise is no longer flagged on the second run")
	}
}

// waitSpikeEvents waits up to 30 s for at least n pattern.detected events
// and returns those delivered.
func waitSpikeEvents(t *testing.T, hook *events, n int) []triage.Event {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		hook.mu.Lock()
		var got []triage.Event
		for _, ev := range hook.got {
			if ev.Type == triage.EventPatternDetected && ev.Data.Spike != nil {
				got = append(got, ev)
			}
		}
		hook.mu.Unlock()
		if len(got) >= n || time.Now().After(deadline) {
			if len(got) < n {
				t.Fatalf("%d of %d pattern.detected events delivered after 30 s", len(got), n)
			}
			return got
		}
	}
}

package main_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestServeChecksAlarmsPeriodically starts the real binary with a short
// --alarms-every and checks River's periodic drift check runs in it: the
// measures of a type with a decided item appear in GET /v1/alarms, and
// /metrics carries the alarms' gauges.
func TestServeChecksAlarmsPeriodically(t *testing.T) {
	bin := buildBinary(t)
	env := serviceEnv(t)
	key := strings.TrimSpace(run(t, bin, env, "keys", "create", "--role", "admin", "--name", "e2e"))
	base := startServer(t, bin, env, "--alarms-every", "1s")
	post(t, key, base+"/v1/exceptions", map[string]any{"id": "d-1", "source": "erp-connector", "type": "erp_posting_failure",
		"text": "NetSuite posting rejected: GL account mapping missing for SKU PLAN-9 in entity US01"})
	deadline := time.Now().Add(60 * time.Second)
	for {
		ms, _ := get(t, key, base+"/v1/alarms?weeks=2")["measures"].([]any)
		found := false
		for _, m := range ms {
			mm, _ := m.(map[string]any)
			found = found || (mm["type"] == "erp_posting_failure" && mm["kind"] == "automated_share")
		}
		if found {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no drift measure of the posted type after 60 s: %v", ms)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if alerts, ok := get(t, key, base+"/v1/alerts")["alerts"].([]any); !ok {
		t.Errorf("GET /v1/alerts without a list: %v", alerts)
	}
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`billtriage_alert_active{kind="precision",type="erp_posting_failure"} 0`,
		`billtriage_automation_paused{type="erp_posting_failure"} 0`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// TestAlarmsCheckCommand runs `billtriage alarms check` once against a
// store with a decided item and reads its JSON report.
func TestAlarmsCheckCommand(t *testing.T) {
	bin := buildBinary(t)
	env := serviceEnv(t)
	in := `{"id":"d-2","source":"erp-connector","type":"erp_posting_failure","occurred_at":"2026-01-05T10:00:00Z",` +
		`"text":"NetSuite posting rejected: GL account mapping missing for SKU PLAN-9 in entity US01"}`
	run(t, bin, env, "triage", "--in", writeTemp(t, "in.jsonl", in+"\n"))
	var rep struct {
		Measures []struct{ Type, Kind, Week string } `json:"measures"`
		Raised   []any                               `json:"raised"`
	}
	out := run(t, bin, env, "alarms", "check")
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("alarms check printed %q: %v", out, err)
	}
	kinds := map[string]bool{}
	for _, m := range rep.Measures {
		if m.Type == "erp_posting_failure" {
			kinds[m.Kind] = true
		}
	}
	for _, k := range []string{"precision", "automated_share", "confidence_psi", "new_sources", "new_root_causes", "unseen_shapes", "calibration"} {
		if !kinds[k] {
			t.Errorf("alarms check measured no %s for erp_posting_failure: %s", k, out)
		}
	}
}

package main_test

import (
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// TestGeneratedDriftIsFoundEndToEnd generates a history up to today whose
// usage connector renames account_key three weeks ago, submits it with
// the real binary and runs the detection: it finds the drift on that
// source only, lists it, and does not report it twice.
func TestGeneratedDriftIsFoundEndToEnd(t *testing.T) {
	bin := buildBinary(t)
	env := serviceEnv(t)
	dir := t.TempDir()
	day := time.Now().UTC().AddDate(0, 0, -21).Format(time.DateOnly)
	out := run(t, bin, env, "generate", "--seed", "9", "--exceptions", "4000", "--invoices", "300", "--end", "today",
		"--drift", "usage-pipeline:account_key=accountKey@"+day, "--out", dir)
	if !strings.Contains(out, "renamed account_key to accountKey") {
		t.Fatalf("generate: %s", out)
	}
	run(t, bin, env, "triage", "--in", filepath.Join(dir, "exceptions.jsonl"))
	found := driftLines(t, run(t, bin, env, "drift"))
	if len(found) == 0 {
		t.Fatal("no drift found")
	}
	for _, f := range found {
		if f.Source != "usage-pipeline" || !strings.Contains(f.Field, "account") || len(f.Examples) == 0 || f.ExceptionID == 0 {
			t.Errorf("finding %+v, want the usage connector's renamed key with examples and an exception", f)
		}
	}
	if again := driftLines(t, run(t, bin, env, "drift")); len(again) != 0 {
		t.Errorf("reported again: %+v", again)
	}
	if listed := driftLines(t, run(t, bin, env, "drift", "--list", "7")); len(listed) != len(found) {
		t.Errorf("listed %d findings, found %d", len(listed), len(found))
	}
	// The server lists them and counts them (its own run at start finds
	// nothing new).
	key := strings.TrimSpace(run(t, bin, env, "keys", "create", "--role", "analyst", "--name", "drift"))
	base := startServer(t, bin, env)
	if listed, _ := get(t, key, base+"/v1/drift")["findings"].([]any); len(listed) != len(found) {
		t.Errorf("GET /v1/drift lists %d findings, found %d", len(listed), len(found))
	}
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(raw), `billtriage_schema_drift_findings{kind="`+string(found[0].Kind)+`",source="usage-pipeline"} `) {
		t.Errorf("metrics lack the finding:\n%s", raw)
	}
}

func driftLines(t *testing.T, out string) []triage.DriftFinding {
	t.Helper()
	var fs []triage.DriftFinding
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" {
			continue
		}
		var f triage.DriftFinding
		if err := json.Unmarshal([]byte(line), &f); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		fs = append(fs, f)
	}
	return fs
}

package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/billtriage/billtriage/triage/postgres/pgtest"
)

// loadEnv is the environment of a load run: the service's role in an
// isolated schema, and the owner's URL, which lets a large load rebuild
// the index.
func loadEnv(t *testing.T) map[string]string {
	t.Helper()
	return map[string]string{"DATABASE_URL": pgtest.URL(), "BILLTRIAGE_MIGRATE_URL": pgtest.OwnerURL(),
		"BILLTRIAGE_SCHEMA": isolatedSchema(t), "BILLTRIAGE_LOG_LEVEL": "error"}
}

// A malformed line is named with its line number, the other lines are
// loaded, and the command fails; loading the fixed file then adds only
// what was missing.
func TestLoadMalformedLineFailsNamingIt(t *testing.T) {
	dir := t.TempDir()
	good := `{"id":"L-1","occurred_at":"2025-01-01T00:00:00Z","type":"usage_mismatch","source":"meter","text":"usage of C-1 double counted","resolution":{"root_cause":"duplicate_usage_event","action":"dedupe_usage","queue":"revops","resolved_at":"2025-01-02T00:00:00Z"}}`
	second := strings.ReplaceAll(good, "L-1", "L-2")
	path := filepath.Join(dir, "ex.jsonl")
	if err := os.WriteFile(path, []byte(good+"\n{\"id\": \"L-3\", oops\n"+second+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := loadEnv(t)
	code, out, errs := runMain(t, env, "", "load", "--exceptions", path)
	if code == 0 {
		t.Fatalf("load with a malformed line exited 0\nstdout: %s\nstderr: %s", out, errs)
	}
	if !strings.Contains(errs, "ex.jsonl: line 2:") {
		t.Errorf("stderr does not name line 2:\n%s", errs)
	}
	if !strings.Contains(out, "history: 2 labelled records, 2 added, 0 already present") {
		t.Errorf("the two good lines were not loaded:\n%s", out)
	}
	fixed := strings.ReplaceAll(good, "L-1", "L-3")
	if err := os.WriteFile(path, []byte(good+"\n"+fixed+"\n"+second+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs = runMain(t, env, "", "load", "--exceptions", path)
	if code != 0 || !strings.Contains(out, "history: 3 labelled records, 1 added, 2 already present") {
		t.Errorf("reload of the fixed file: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	code, out, _ = runMain(t, env, "", "load", "--exceptions", path)
	if code != 0 || !strings.Contains(out, "history: 3 labelled records, 0 added, 3 already present") {
		t.Errorf("third load: exit %d, want 0 added:\n%s", code, out)
	}
}

package main_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/billtriage/billtriage/dataset/generate"
	"github.com/billtriage/billtriage/triage"
)

func TestCheckNamesTheBadLineAndChecksNothing(t *testing.T) {
	good := `{"draft_id":"A","customer_id":"K","entity":"E","currency":"EUR","period":"2026-05","lines":[{"sku":"s"}]}`
	for _, tc := range []struct{ in, want string }{
		{good + "\n" + `{"draft_id":"B","customer_id":"K","entity":"E","currency":"EUR","period":"May","lines":[{"sku":"s"}]}`, `line 2: field "period"`},
		{good + "\n\n" + good, `line 3: field "draft_id"`},
		{`{"draft_id":"C",` + "\n", "line 1"},
		{strings.Replace(good, `"sku":"s"`, `"sku":"s","qty":2`, 1), `line 1: field "qty"`},
	} {
		code, stdout, stderr := runMain(t, map[string]string{"DATABASE_URL": unreachableDB}, tc.in, "check")
		if code != 1 || stdout != "" || !strings.Contains(stderr, tc.want) || !strings.Contains(stderr, "nothing was checked") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 1 naming %s", tc.in, code, stdout, stderr, tc.want)
		}
	}
}

// TestCheckHoldsSeededFaultsEndToEnd generates a history with drafts,
// loads it and checks the drafts with the real binary: the held drafts
// exit 3, the seeded faults are found, and checking again raises nothing
// new.
func TestCheckHoldsSeededFaultsEndToEnd(t *testing.T) {
	bin := buildBinary(t)
	env := serviceEnv(t)
	dir := t.TempDir()
	run(t, bin, env, "generate", "--seed", "5", "--exceptions", "1500", "--invoices", "600", "--drafts", "40", "--out", dir)
	run(t, bin, env, "load", "--exceptions", filepath.Join(dir, "exceptions.jsonl"), "--invoices", filepath.Join(dir, "invoices.csv"))
	f, err := os.Open(filepath.Join(dir, "drafts_truth.csv"))
	if err != nil {
		t.Fatal(err)
	}
	truth, err := generate.ReadDraftTruth(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	first := checkRun(t, bin, env, filepath.Join(dir, "drafts.jsonl"))
	found, seeded, created := 0, 0, 0
	for _, r := range first {
		tr := truth[r.DraftID]
		if tr.Check != "" {
			seeded++
		}
		for _, fd := range r.Findings {
			if fd.Check == tr.Check && fd.Field == tr.Field && !r.Release {
				found++
				break
			}
		}
		for _, s := range r.Raised {
			if s.Created {
				created++
			}
		}
	}
	if len(first) != 40 || seeded == 0 || found == 0 || created == 0 {
		t.Fatalf("%d results, %d seeded faults, %d found, %d exceptions raised", len(first), seeded, found, created)
	}
	for _, r := range checkRun(t, bin, env, filepath.Join(dir, "drafts.jsonl")) {
		for _, s := range r.Raised {
			if s.Created {
				t.Errorf("checking %s again raised %s anew", r.DraftID, s.Exception.ExternalID)
			}
		}
	}
}

// checkRun runs `billtriage check` on path, wanting exit 3 (drafts held).
func checkRun(t *testing.T, bin string, env []string, path string) []triage.CheckResult {
	t.Helper()
	cmd := exec.Command(bin, "check", "--in", path)
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 3 || !strings.Contains(stderr.String(), "held back") {
		t.Fatalf("check: %v, stderr %s; want exit 3", err, stderr.String())
	}
	var res []triage.CheckResult
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var r triage.CheckResult
		if err := dec.Decode(&r); err != nil {
			t.Fatal(err)
		}
		res = append(res, r)
	}
	return res
}

package main_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/triage/postgres"
	"github.com/billtriage/billtriage/triage/postgres/pgtest"
)

// runCmd runs the binary and returns stdout, stderr and the exit code.
func runCmd(t *testing.T, bin string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	// eval makes and drops its own schema, which takes the owner.
	cmd.Env = append(os.Environ(), "DATABASE_URL="+pgtest.URL(), "BILLTRIAGE_MIGRATE_URL="+pgtest.OwnerURL())
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	_ = cmd.Run() // the exit code is the result
	return stdout.String(), stderr.String(), cmd.ProcessState.ExitCode()
}

// schemaExists asks the database whether an eval run left its schema; the
// catalog, as information_schema hides schemas the role has no rights in.
func schemaExists(t *testing.T, schema string) bool {
	t.Helper()
	ctx := context.Background()
	db, err := postgres.Open(ctx, pgtest.URL(), postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM pg_namespace WHERE nspname = $1`, schema).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

func TestEvalCommand(t *testing.T) {
	db, err := postgres.Open(context.Background(), pgtest.URL(), postgres.Options{})
	if err != nil {
		pgtest.Unavailable(t, err)
	}
	db.Close()
	bin := buildBinary(t)
	dir := t.TempDir()
	gen := filepath.Join(dir, "gen")
	if _, stderr, code := runCmd(t, bin, "generate", "--seed", "3", "--exceptions", "400", "--invoices", "50", "--out", gen); code != 0 {
		t.Fatalf("generate: %s", stderr)
	}
	first := filepath.Join(dir, "first")
	stdout, stderr, code := runCmd(t, bin, "eval", "--exceptions", filepath.Join(gen, "exceptions.jsonl"),
		"--invoices", filepath.Join(gen, "invoices.csv"), "--split", "0.7", "--out", first)
	if code != 0 {
		t.Fatalf("eval: exit %d\n%s", code, stderr)
	}
	for _, want := range []string{"history 280, test 120", "macro-F1", "no risk model", "recommended thresholds"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	schema := regexp.MustCompile(`schema (eval_[0-9a-f]+)`).FindStringSubmatch(stderr)
	if schema == nil || schemaExists(t, schema[1]) {
		t.Errorf("the run's schema was not named or not dropped: %v\n%s", schema, stderr)
	}
	var m struct {
		Dataset struct{ History, Test int } `json:"dataset"`
	}
	b, err := os.ReadFile(filepath.Join(first, "metrics.json"))
	if err != nil || json.Unmarshal(b, &m) != nil || m.Dataset.History != 280 || m.Dataset.Test != 120 {
		t.Errorf("metrics.json: %v %+v\n%s", err, m, b)
	}

	second := filepath.Join(dir, "second")
	stdout, stderr, code = runCmd(t, bin, "eval", "--exceptions", filepath.Join(gen, "exceptions.jsonl"), "--no-feedback",
		"--split-at", "2025-08-01T00:00:00Z", "--out", second, "--compare", first)
	if code != 0 || !strings.Contains(stdout, "Compared with "+first) || !strings.Contains(stdout, "| run.feedback | false | true |") {
		t.Fatalf("eval --compare: exit %d\n%s\n%s", code, stdout, stderr)
	}
	report, _ := os.ReadFile(filepath.Join(second, "report.md"))
	if !strings.Contains(string(report), "## Compared with") || !strings.Contains(string(report), "Feedback was off") {
		t.Errorf("report.md lacks the comparison or the feedback note")
	}
}

func TestEvalAndConvertUsage(t *testing.T) {
	bin := buildBinary(t)
	missing := filepath.Join(t.TempDir(), "nothing")
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"eval"}, 2, "--exceptions FILE is required"},
		{[]string{"eval", "--exceptions", "x", "--split", "1.5"}, 2, "--split must be between 0 and 1"},
		{[]string{"eval", "--exceptions", "x", "--split", "0.5", "--split-at", "2025-01-01T00:00:00Z"}, 2, "not both"},
		{[]string{"eval", "--exceptions", "x", "--split-at", "yesterday"}, 2, "RFC 3339"},
		{[]string{"eval", "--exceptions", "x", "--target-precision", "0"}, 2, "--target-precision"},
		{[]string{"eval", "--exceptions", "x", "--compare", missing}, 1, "--compare"},
		{[]string{"convert"}, 2, "give a data set (banking77, cfpb, ibm-ar)"},
		{[]string{"convert", "mnist", "x"}, 2, `unknown data set "mnist"`},
		{[]string{"convert", "cfpb", missing}, 1, "no such file"},
	}
	for _, tc := range tests {
		_, stderr, code := runCmd(t, bin, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d with %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
}

func TestConvertCommand(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	csv := "text,category\nwhere is my card,card_arrival\nmy card has not come,card_arrival\nrefund please,request_refund\n"
	if err := os.WriteFile(filepath.Join(dir, "train.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out", "banking77.jsonl")
	// flags may follow the positional arguments; a directory means its train.csv
	_, stderr, code := runCmd(t, bin, "convert", "banking77", dir, "--out", out)
	if code != 0 || !strings.Contains(stderr, "3 records written") {
		t.Fatalf("convert: exit %d\n%s", code, stderr)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	errs, err := dataset.ReadRecords(f, func(r dataset.Record) error {
		n++
		if r.Resolution == nil || r.Resolution.Action != "route_"+r.Resolution.RootCause {
			t.Errorf("record %+v", r)
		}
		return nil
	})
	if err != nil || len(errs) > 0 || n != 3 {
		t.Errorf("output: %d records, %v, %v", n, errs, err)
	}
	stdout, _, code := runCmd(t, bin, "convert", "banking77", filepath.Join(dir, "train.csv"))
	if b, _ := os.ReadFile(out); code != 0 || stdout != string(b) {
		t.Errorf("stdout output differs from the file (exit %d)", code)
	}
}

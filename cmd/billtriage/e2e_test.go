package main_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/embeddings"
	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
	"github.com/billtriage/billtriage/triage/postgres/pgtest"
)

// buildBinary compiles the real binary once per test run.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "billtriage")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// isolatedSchema returns a schema name and drops it when the test ends. It
// prepares the schema as `billtriage migrate` would: migrated by the owner,
// the service's role granted its privileges and the default embedder's
// index built.
func isolatedSchema(t *testing.T) string {
	t.Helper()
	schema := pgtest.NewSchemaName("e2e")
	ctx := context.Background()
	db, err := postgres.Open(ctx, pgtest.URL(), postgres.Options{Schema: schema, Migrate: true, OwnerURL: pgtest.OwnerURL()})
	if err != nil {
		pgtest.Unavailable(t, err)
	}
	t.Cleanup(func() {
		defer db.Close()
		if err := db.DropSchema(ctx); err != nil {
			t.Errorf("cleanup: %v", err)
		}
	})
	emb, err := embeddings.NewLocal(512)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.EnsureIndex(ctx, emb.Name(), emb.Dims()); err != nil {
		t.Fatal(err)
	}
	return schema
}

// serviceEnv is the environment of a command run as the service runs: in
// an isolated schema, as the service's role, without the owner's URL even
// when the test's environment has one, so that the test shows the command
// needs no more than the service's privileges.
func serviceEnv(t *testing.T) []string {
	t.Helper()
	return []string{"DATABASE_URL=" + pgtest.URL(), "BILLTRIAGE_MIGRATE_URL=", "BILLTRIAGE_SCHEMA=" + isolatedSchema(t)}
}

func run(t *testing.T, bin string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("billtriage %v: %v\nstdout: %s\nstderr: %s", args, err, out, stderr.String())
	}
	return string(out)
}

// startServer runs `billtriage serve` on a free port, with extra flags if
// any, and returns its URL.
func startServer(t *testing.T, bin string, env []string, extra ...string) string {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, extra...)...)
	cmd.Env = append(os.Environ(), env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addrc := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`msg=listening addr=(\S+)`)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				addrc <- m[1]
			}
		}
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		if err := cmd.Wait(); err != nil {
			t.Errorf("serve did not shut down cleanly: %v", err)
		}
	})
	select {
	case addr := <-addrc:
		return "http://" + addr
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not report its address")
		return ""
	}
}

func post(t *testing.T, key, url string, body any) map[string]any {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", url, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return decodeResp(t, resp, http.StatusCreated, http.StatusOK)
}

func get(t *testing.T, key, url string) map[string]any {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return decodeResp(t, resp, http.StatusOK)
}

func decodeResp(t *testing.T, resp *http.Response, ok ...int) map[string]any {
	t.Helper()
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	good := false
	for _, s := range ok {
		good = good || resp.StatusCode == s
	}
	if !good {
		t.Fatalf("%s %s: %d %s", resp.Request.Method, resp.Request.URL, resp.StatusCode, raw)
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("not JSON: %s", raw)
	}
	return out
}

// TestEndToEnd drives the real binary: generate, load, serve on port 0,
// post exceptions and check decisions, precedents and audit rows.
func TestEndToEnd(t *testing.T) {
	bin := buildBinary(t)
	env := serviceEnv(t)
	dir := t.TempDir()
	out := run(t, bin, env, "generate", "--seed", "7", "--exceptions", "3000", "--invoices", "300", "--out", dir)
	if !strings.Contains(out, "wrote 3000 exceptions") {
		t.Fatalf("generate: %s", out)
	}
	out = run(t, bin, env, "load", "--exceptions", filepath.Join(dir, "exceptions.jsonl"), "--invoices", filepath.Join(dir, "invoices.csv"))
	if !strings.Contains(out, "history: 3000 labelled records") || !strings.Contains(out, "invoices: 300 stored") {
		t.Fatalf("load: %s", out)
	}
	var trained struct{ Version, Algorithm string }
	if out = run(t, bin, env, "train", "--from-db", "--activate"); json.Unmarshal([]byte(out), &trained) != nil || trained.Version == "" {
		t.Fatalf("train: %s", out)
	}
	if out = run(t, bin, env, "models", "list"); !strings.Contains(out, "true") {
		t.Errorf("models list shows no active model: %s", out)
	}
	key := strings.TrimSpace(run(t, bin, env, "keys", "create", "--role", "admin", "--name", "e2e"))
	base := startServer(t, bin, env)
	get(t, "", base+"/readyz")

	// New exceptions: texts from a differently seeded run of the generator,
	// posted without their labels.
	run(t, bin, env, "generate", "--seed", "8", "--exceptions", "40", "--invoices", "10", "--out", filepath.Join(dir, "new"))
	f, err := os.Open(filepath.Join(dir, "new", "exceptions.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var recs []dataset.Record
	if _, err := dataset.ReadRecords(f, func(r dataset.Record) error { recs = append(recs, r); return nil }); err != nil {
		t.Fatal(err)
	}
	right, auto, risked, autoPairRight, autoParamsRight := 0, 0, 0, 0, 0
	for _, r := range recs {
		label := r.Resolution
		r.Resolution = nil
		r.ID = "new-" + r.ID
		res := post(t, key, base+"/v1/exceptions", r)
		dec := res["decision"].(map[string]any)
		if n := len(dec["neighbors"].([]any)); n == 0 || dec["policy_version"] == "" || len(dec["reasons"].([]any)) == 0 {
			t.Errorf("%s: decision without explanation: %v", r.ID, dec)
		}
		if dec["root_cause"] == label.RootCause {
			right++
		}
		if dec["outcome"] == "auto" {
			auto++
			autoPairRight, autoParamsRight = autoPairRight+b2i(dec["root_cause"] == label.RootCause && dec["action"] == label.Action),
				autoParamsRight+b2i(dec["root_cause"] == label.RootCause && dec["action"] == label.Action && paramsAgree(label.Params, dec))
		}
		checkParamSources(t, r.ID, dec)
		if risk, ok := dec["risk"].(map[string]any); ok {
			risked++
			if risk["model_version"] == "" || len(risk["factors"].([]any)) == 0 {
				t.Errorf("%s: risk without model version or factors: %v", r.ID, risk)
			}
		}
		id := int64(res["exception"].(map[string]any)["id"].(float64))
		view := get(t, key, fmt.Sprintf("%s/v1/exceptions/%d", base, id))
		if len(view["audit"].([]any)) < 2 {
			t.Errorf("%s: audit rows %v", r.ID, view["audit"])
		}
		if stored := view["decision"].(map[string]any); fmt.Sprint(stored["risk"]) != fmt.Sprint(dec["risk"]) {
			t.Errorf("%s: stored risk %v differs from the decision's %v", r.ID, stored["risk"], dec["risk"])
		}
	}
	t.Logf("root cause right on %d of %d, %d automatic (%d with the right root cause and action, %d of them with every labelled parameter right), %d with a risk score", right, len(recs), auto, autoPairRight, autoParamsRight, risked)
	if risked == 0 {
		t.Errorf("no decision carries a risk score although a model is active")
	}
	if right < len(recs)*7/10 {
		t.Errorf("root cause right on only %d of %d", right, len(recs))
	}
	// Parameters come from the case: an automated decision with the right
	// root cause and action states the label's parameters.
	if autoParamsRight < autoPairRight {
		t.Errorf("automated with the right root cause and action: %d, of which parameters right: %d", autoPairRight, autoParamsRight)
	}
	if auto == 0 || auto == len(recs) {
		t.Errorf("%d of %d automatic: the policy should automate clear cases and queue the rest", auto, len(recs))
	}
	checkEnrichment(t, key, base, filepath.Join(dir, "exceptions.jsonl"))
	login, err := http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(login.Body)
	login.Body.Close()
	if login.StatusCode != 200 || login.Request.URL.Path != "/ui/login" || !bytes.Contains(page, []byte("API key")) {
		t.Errorf("the UI is not served: %d at %s", login.StatusCode, login.Request.URL)
	}
	resp, err := http.Get(base + "/v1/queues/finance")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("the API answered %d without a key", resp.StatusCode)
	}
}

func TestCLIReportsMalformedLinesAndKeepsTheGoodOnes(t *testing.T) {
	bin := buildBinary(t)
	env := serviceEnv(t)
	path := filepath.Join(t.TempDir(), "mixed.jsonl")
	lines := []string{
		`{"id":"a","occurred_at":"2025-01-01T00:00:00Z","type":"tax_inconsistency","text":"VAT id missing","resolution":{"root_cause":"missing_tax_id","action":"request_tax_id","queue":"tax"}}`,
		`{"id":"b","occurred_at":"2025-01-01T00:00:00Z","type":"taxes","text":"x"}`,
		`{"id":"c","occurred_at":"not a time","type":"other","text":"x"}`,
		`{"id":"d","occurred_at":"2025-01-02T00:00:00Z","type":"tax_inconsistency","text":"VAT id missing again","resolution":{"root_cause":"missing_tax_id","action":"request_tax_id","queue":"tax"}}`,
	}
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "load", "--exceptions", path)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	// The good lines are loaded and the command fails, saying how many
	// lines it skipped (issue 17: a rejected line means a non-zero exit).
	var exit *exec.ExitError
	if err := cmd.Run(); !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("load with malformed lines: %v, want exit status 1\n%s", err, stderr.String())
	}
	for _, want := range []string{"line 2", `"type"`, "line 3", `"occurred_at"`, "2 malformed lines skipped"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
	if !strings.Contains(stdout.String(), "history: 2 labelled records") {
		t.Errorf("good lines lost: %s", stdout.String())
	}
	// triage reads stdin and prints one JSON line per decision
	tr := exec.Command(bin, "triage")
	tr.Env = append(os.Environ(), env...)
	tr.Stdin = strings.NewReader(`{"id":"n1","occurred_at":"2025-02-01T00:00:00Z","type":"tax_inconsistency","text":"VAT id missing for the customer"}` + "\n")
	outb, err := tr.Output()
	if err != nil {
		t.Fatalf("triage: %v", err)
	}
	var line struct {
		ID       string `json:"id"`
		Decision struct {
			RootCause string `json:"root_cause"`
		} `json:"decision"`
	}
	if err := json.Unmarshal(bytes.TrimSpace(outb), &line); err != nil || line.ID != "n1" || line.Decision.RootCause != "missing_tax_id" {
		t.Errorf("triage output %s (%v)", outb, err)
	}
}

func TestUnknownCommandAndBadFlags(t *testing.T) {
	bin := buildBinary(t)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"frobnicate"}, 2, "unknown command"},
		{[]string{"serve", "--embedder", "magic"}, 1, "--embedder must be local or openai"},
		{[]string{"serve", "--classifier-embeddings"}, 1, "--classifier-embeddings needs a pretrained embedder"},
		{[]string{"serve", "--auth-failure-limit", "0"}, 1, "--auth-failure-limit must be at least 1"},
		{[]string{"serve", "--trusted-proxies", "10.0.0.0/8, proxy.internal"}, 1, `"proxy.internal" is neither`},
		{[]string{"load"}, 2, "give --exceptions"},
		{[]string{"help"}, 0, "Commands:"},
	} {
		cmd := exec.Command(bin, tc.args...)
		out, _ := cmd.CombinedOutput()
		if cmd.ProcessState.ExitCode() != tc.code || !strings.Contains(string(out), tc.want) {
			t.Errorf("%v: exit %d, output %q; want exit %d with %q", tc.args, cmd.ProcessState.ExitCode(), out, tc.code, tc.want)
		}
	}
}

// checkEnrichment posts unmapped usage under the history's most corrected
// account key (applied automatically) and under an unseen look-alike of it
// (queued with candidates).
func checkEnrichment(t *testing.T, key, base, history string) {
	t.Helper()
	alias, target := mostCorrectedAlias(t, history)
	text := func(k string) string {
		return fmt.Sprintf(`usage-pipeline ERROR {"event":"rating_skipped","reason":"UNKNOWN_ACCOUNT","account_key":"%s","meter":"api_calls","count":120}`, k)
	}
	post1 := post(t, key, base+"/v1/exceptions", map[string]any{"id": "enrich-known", "type": "usage_mismatch", "source": "usage-pipeline",
		"text": text(alias), "attributes": map[string]any{"account_key": alias, "meter": "api_calls"}})
	ex := post1["exception"].(map[string]any)
	if ex["attributes"].(map[string]any)["account_id"] != target {
		t.Errorf("known alias %s: account_id %v, want %s (%v)", alias, ex["attributes"], target, post1["decision"].(map[string]any)["reasons"])
	}
	lookAlike := alias + "9"
	post2 := post(t, key, base+"/v1/exceptions", map[string]any{"id": "enrich-new", "type": "usage_mismatch", "source": "usage-pipeline",
		"text": text(lookAlike), "attributes": map[string]any{"account_key": lookAlike, "meter": "api_calls"}})
	ex2, dec2 := post2["exception"].(map[string]any), post2["decision"].(map[string]any)
	enr, _ := dec2["enrichments"].([]any)
	if ex2["status"] != "queued" || ex2["attributes"].(map[string]any)["account_id"] != nil || len(enr) == 0 ||
		len(enr[0].(map[string]any)["candidates"].([]any)) == 0 {
		t.Errorf("unseen look-alike %s: status %v, enrichments %v", lookAlike, ex2["status"], enr)
	}
}

func mostCorrectedAlias(t *testing.T, path string) (string, string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	counts := map[[2]string]int{}
	_, err = dataset.ReadRecords(f, func(r dataset.Record) error {
		if r.Resolution == nil {
			return nil
		}
		cs, _ := r.Resolution.Params["corrections"].([]any)
		for _, c := range cs {
			m := c.(map[string]any)
			if m["field"] == "account_id" && m["reversed_at"] == nil {
				counts[[2]string{m["key"].(string), m["to"].(string)}]++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var best [2]string
	for k, n := range counts {
		if n > counts[best] || (n == counts[best] && k[0] < best[0]) {
			best = k
		}
	}
	if counts[best] < 5 {
		t.Fatalf("the generated history has no frequently corrected account key (best %v seen %d times)", best, counts[best])
	}
	return best[0], best[1]
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// paramsAgree says whether the decision states every parameter the label
// does, with the same value (corrections are enrichment's, checked apart).
func paramsAgree(label map[string]any, dec map[string]any) bool {
	got, _ := dec["params"].(map[string]any)
	for k, v := range label {
		if k != "corrections" && !triage.SameValue(v, got[k]) {
			return false
		}
	}
	return true
}

// checkParamSources checks that every suggested parameter says where its
// value came from.
func checkParamSources(t *testing.T, id string, dec map[string]any) {
	t.Helper()
	params, _ := dec["params"].(map[string]any)
	sources, _ := dec["param_sources"].(map[string]any)
	for k, v := range params {
		src, _ := sources[k].(map[string]any)
		if src == nil || src["source"] == "" || !triage.SameValue(src["value"], v) {
			t.Errorf("%s: parameter %s = %v without its source: %v", id, k, v, src)
		}
	}
}

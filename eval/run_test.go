package eval_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/dataset/generate"
	"github.com/billtriage/billtriage/embeddings"
	"github.com/billtriage/billtriage/eval"
	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
	"github.com/billtriage/billtriage/triage/postgres/pgtest"
)

// smallSet is a generated dataset of 600 records in format v1 with the
// label of its latest record removed, that record's line, and invoices.
func smallSet(t *testing.T) ([]byte, int, []triage.Invoice) {
	t.Helper()
	recs, invs, err := generate.Generate(generate.Config{Seed: 7, Exceptions: 600, Invoices: 200})
	if err != nil {
		t.Fatal(err)
	}
	last := 0
	for i, r := range recs {
		if r.OccurredAt.After(recs[last].OccurredAt) {
			last = i
		}
	}
	recs[last].Resolution = nil
	var b bytes.Buffer
	if err := dataset.WriteRecords(&b, recs); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), last + 1, invs
}

// disputeRule stands in for a risk model in this test only: it predicts
// trouble for disputed invoices, so the risk metrics have something to
// score. The real model is wired by the command.
type disputeRule struct{}

func (disputeRule) Name() string { return "test-dispute-rule" }

func (disputeRule) Score(_ context.Context, inv triage.Invoice) (float64, bool, bool, error) {
	late := inv.PaidAt == nil || inv.PaidAt.After(inv.DueAt.AddDate(0, 0, 30))
	if inv.Disputed {
		return 0.8, late, true, nil
	}
	return 0.2, late, true, nil
}

// runEval replays data in a fresh schema, as the command does, and writes
// the output into a new directory.
func runEval(t *testing.T, data []byte, invs []triage.Invoice) (*eval.Result, string) {
	t.Helper()
	return runEvalWith(t, data, invs, nil)
}

// runEvalWith is runEval under policy p (the default when nil).
func runEvalWith(t *testing.T, data []byte, invs []triage.Invoice, p *triage.Policy) (*eval.Result, string) {
	t.Helper()
	ctx := context.Background()
	db := pgtest.Open(t)
	emb, err := embeddings.NewLocal(512)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.EnsureIndex(ctx, emb.Name(), emb.Dims()); err != nil {
		t.Fatal(err)
	}
	in, err := eval.ReadInput(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	clock := eval.NewClock()
	svc := triage.NewService(triage.Config{Store: postgres.NewStore(db), Embedder: emb, Now: clock.Now, Policy: p})
	res, err := eval.Run(ctx, eval.Config{Service: svc, Clock: clock, Input: in, Split: 0.7,
		TargetPrecision: eval.DefaultTargetPrecision, MinSupport: eval.DefaultMinSupport, Invoices: invs, Risk: disputeRule{}})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := eval.Write(res, eval.Output{Dir: dir, Source: "small"}); err != nil {
		t.Fatal(err)
	}
	return res, dir
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRunIsDeterministicAndWritesItsFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("replays 180 cases twice: not in -short mode")
	}
	data, unlabelledLine, invs := smallSet(t)
	res, dir := runEval(t, data, invs)
	_, dir2 := runEval(t, data, invs)

	m := read(t, filepath.Join(dir, eval.MetricsJSON))
	if a, b := eval.DeterministicPart(m), eval.DeterministicPart(read(t, filepath.Join(dir2, eval.MetricsJSON))); !bytes.Equal(a, b) {
		t.Errorf("metrics.json differs between two runs on the same input:\n%s\n---\n%s", a, b)
	}
	if a, b := read(t, filepath.Join(dir, eval.CasesJSONL)), read(t, filepath.Join(dir2, eval.CasesJSONL)); !bytes.Equal(a, b) {
		al, bl := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
		for i := range min(len(al), len(bl)) {
			if !bytes.Equal(al[i], bl[i]) {
				t.Errorf("cases.jsonl differs between two runs on the same input, first at line %d:\n%s\n---\n%s", i+1, al[i], bl[i])
				break
			}
		}
	}
	checkKeys(t, m)
	checkCounts(t, res)
	files := []string{eval.ReportMD, eval.PrecisionCoveragePNG, eval.LatencyPNG, eval.ReliabilityPNG, eval.ConfusionCSV, eval.CasesJSONL}
	for _, f := range files {
		if info, err := os.Stat(filepath.Join(dir, f)); err != nil || info.Size() == 0 {
			t.Errorf("%s missing or empty: %v", f, err)
		}
	}
	report := string(read(t, filepath.Join(dir, eval.ReportMD)))
	for _, want := range []string{"## Headline", "auto precision (full)", "## Parameters", "## Per type", "## Actions never automated", "## Root-cause confusion", "risk AUC", eval.ReliabilityPNG} {
		if !strings.Contains(report, want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	wantProblem := "line " + strconv.Itoa(unlabelledLine) + ": no label: triaged for latency, not scored\n"
	if got := string(read(t, filepath.Join(dir, eval.LabelErrorsTXT))); got != wantProblem {
		t.Errorf("label_errors.txt = %q, want %q", got, wantProblem)
	}
}

// A policy that does not list a type's actions automates none of them, the
// harness reads it as the service applied it, and the metrics name each
// such action as not automatable; under the default policy the generated
// taxonomy has none.
func TestDeniedActionsOfAnUnlistedType(t *testing.T) {
	if testing.Short() {
		t.Skip("replays 180 cases twice: not in -short mode")
	}
	data, _, invs := smallSet(t)
	def, _ := runEval(t, data, invs)
	p := triage.DefaultPolicy()
	erp := string(triage.ERPPostingFailure)
	delete(p.AutomatableActions, triage.ERPPostingFailure)
	p, err := triage.ParsePolicy(bytes.NewReader(p.MarshalIndented()))
	if err != nil {
		t.Fatal(err)
	}
	res, dir := runEvalWith(t, data, invs, p)

	if def.Metrics.PerType[erp].AutoCoverage == nil || *def.Metrics.PerType[erp].AutoCoverage == 0 {
		t.Fatalf("the default policy automated no %s case: the test shows nothing", erp)
	}
	for typ, actions := range def.Metrics.Auto.DeniedActions {
		for a, d := range actions {
			if d.Reason == eval.DeniedNotAutomatable {
				t.Errorf("default policy: %s / %s not automatable on the generator's own taxonomy", typ, a)
			}
		}
	}
	m := res.Metrics
	if m.Run.PolicyMismatches != 0 {
		t.Errorf("%d decisions disagree with the harness's reading of the policy", m.Run.PolicyMismatches)
	}
	if pt := m.PerType[erp]; pt.AutoCoverage == nil || *pt.AutoCoverage != 0 || pt.Automatable == nil || *pt.Automatable != 0 {
		t.Errorf("%s under a policy that lists none of its actions: %+v", erp, pt)
	}
	suggested := map[string]int{}
	for _, c := range res.Cases {
		if c.Labelled && c.Type == erp && c.Action != "" {
			suggested[c.Action]++
		}
	}
	denied := m.Auto.DeniedActions[erp]
	if len(denied) != len(suggested) {
		t.Errorf("denied %s actions %v, suggested %v", erp, denied, suggested)
	}
	for a, n := range suggested {
		if d := denied[a]; d.Suggested != n || d.Reason != eval.DeniedNotAutomatable {
			t.Errorf("%s / %s: %+v, want %d suggested, not automatable", erp, a, d, n)
		}
	}
	var onDisk struct {
		Auto struct {
			DeniedActions map[string]map[string]eval.DeniedAction `json:"denied_actions"`
		} `json:"auto"`
	}
	if err := json.Unmarshal(read(t, filepath.Join(dir, eval.MetricsJSON)), &onDisk); err != nil || len(onDisk.Auto.DeniedActions[erp]) != len(suggested) {
		t.Errorf("metrics.json auto.denied_actions.%s = %v (%v), want %d actions", erp, onDisk.Auto.DeniedActions[erp], err, len(suggested))
	}
	if report := string(read(t, filepath.Join(dir, eval.ReportMD))); !strings.Contains(report, "**Default-deny:**") ||
		!strings.Contains(report, `"`+erp+`": [`) {
		t.Errorf("report.md does not say %s was default-denied nor what to allow", erp)
	}
}

// checkKeys checks the documented top-level keys, in order.
func checkKeys(t *testing.T, m []byte) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(m))
	var keys []string
	if _, err := dec.Token(); err != nil { // the opening brace
		t.Fatal(err)
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k.(string))
	}
	want := "dataset root_cause action queue auto recommended_thresholds per_type enrichment params risk confidence run latency_ms throughput_per_s"
	if got := strings.Join(keys, " "); got != want {
		t.Errorf("top-level keys %q, want %q", got, want)
	}
}

func checkCounts(t *testing.T, res *eval.Result) {
	t.Helper()
	d := res.Metrics.Dataset
	if d.History != 420 || d.Test != 180 || d.Labelled != 179 || d.Problems != 1 {
		t.Errorf("dataset = %+v, want 420 history, 180 test, 179 labelled, 1 problem", d)
	}
	if res.Metrics.Run.PolicyMismatches != 0 {
		t.Errorf("%d decisions disagree with the harness's reading of the policy", res.Metrics.Run.PolicyMismatches)
	}
	// Full precision asks more of the same automated cases.
	if a := res.Metrics.Auto; a.Precision == nil || a.FullPrecision == nil || *a.FullPrecision > *a.Precision {
		t.Errorf("auto precision %v, full %v: want both, full at most the other", a.Precision, a.FullPrecision)
	}
	if r := res.Metrics.Risk; r == nil || r.Model != "test-dispute-rule" || r.Invoices == 0 || r.AUC == nil {
		t.Errorf("risk = %+v, want the test rule scored on the test period's invoices", r)
	}
	if res.Metrics.LatencyMS.P99 <= 0 || res.Metrics.LatencyMS.P99 < res.Metrics.LatencyMS.P50 {
		t.Errorf("latency %+v", res.Metrics.LatencyMS)
	}
	if _, err := time.Parse(time.RFC3339, d.SplitAt); err != nil {
		t.Errorf("split_at %q: %v", d.SplitAt, err)
	}
}

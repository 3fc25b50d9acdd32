package eval

import (
	"context"
	"fmt"
	"time"

	"github.com/billtriage/billtriage/models/risk"
	"github.com/billtriage/billtriage/triage"
)

// Result is everything a run measured: the metrics written to metrics.json
// and the detail the report and the plots are drawn from.
type Result struct {
	Metrics  Metrics
	Cases    []Case
	Problems []Problem
	// Curves holds, per type, precision and coverage at every candidate
	// threshold, lowest threshold first.
	Curves map[string][]CurvePoint
	// Reliability is the risk model's calibration by bin (nil without one).
	Reliability []risk.CalibrationBin
	Split       Split
	resolutions ResolutionCounts
}

// Run replays cfg.Input through cfg.Service: the history part is imported
// as resolved history, then every test record is submitted alone, in time
// order, its decision compared with its label and, unless NoFeedback, its
// label fed back as a person's resolution when it was resolved.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	split, err := SplitItems(cfg.Input.Items, cfg.Split, cfg.SplitAt)
	if err != nil {
		return nil, err
	}
	problems := append([]Problem(nil), cfg.Input.Problems...)
	hist, histProblems := historyRows(split.History)
	problems = append(problems, histProblems...)
	problems = append(problems, testLabelProblems(split.Test)...)
	cfg.progress("eval: importing %d history records", len(hist))
	if err := cfg.Service.ImportHistory(ctx, hist); err != nil {
		return nil, fmt.Errorf("eval: import history: %w", err)
	}
	cfg.progress("eval: replaying %d test records", len(split.Test))
	rp := &replayer{cfg: &cfg}
	if err := rp.run(ctx, split.Test); err != nil {
		return nil, err
	}
	problems = append(problems, rp.problems...)
	sortProblems(problems)
	res := &Result{Cases: rp.cases, Problems: problems, Split: split, resolutions: rp.counts}
	if err := res.measure(ctx, &cfg, len(hist)); err != nil {
		return nil, err
	}
	return res, nil
}

// historyRows turns the labelled history records into history rows. An
// unlabelled or invalid one cannot be a precedent and is reported.
func historyRows(items []Item) ([]triage.Resolution, []Problem) {
	var rows []triage.Resolution
	var problems []Problem
	for _, it := range items {
		h, ok := it.Record.HistoryResolution()
		ex := it.Record.Exception()
		switch err := ex.Validate(); {
		case !ok:
			problems = append(problems, Problem{it.Line, labelMsg(it) + ": history part, not added to the history"})
		case err != nil:
			problems = append(problems, Problem{it.Line, "not added to the history: " + err.Error()})
		default:
			rows = append(rows, h)
		}
	}
	return rows, problems
}

func testLabelProblems(items []Item) []Problem {
	var problems []Problem
	for _, it := range items {
		if !it.Labelled() {
			problems = append(problems, Problem{it.Line, labelMsg(it) + ": triaged for latency, not scored"})
		}
	}
	return problems
}

func labelMsg(it Item) string {
	if it.LabelProblem != "" {
		return "bad label (" + it.LabelProblem + ")"
	}
	return "no label"
}

// measure computes the metrics from the cases.
func (res *Result) measure(ctx context.Context, cfg *Config, history int) error {
	m := &res.Metrics
	m.Dataset = datasetStats(res.Split, history, res.Problems, res.Cases)
	m.RootCause, m.Action, m.Queue, m.Auto = overall(res.Cases)
	m.Auto.DeniedActions = deniedActions(res.Cases, cfg.Service.Policy())
	m.PerType, res.Curves, m.RecommendedThresholds = perType(res.Cases, cfg.Service.Policy(), cfg.TargetPrecision, cfg.MinSupport)
	m.Enrichment = enrichmentMetrics(res.Cases)
	m.Params = paramMetrics(labelled(res.Cases))
	m.Confidence = confidenceMetrics(labelled(res.Cases))
	if cfg.Truth != nil {
		m.Texts = textMetrics(labelled(res.Cases), cfg.Truth)
	}
	m.LatencyMS, m.ThroughputPerS = timings(res.Cases)
	m.Run = runInfo(cfg, res.Cases)
	m.Run.Resolutions = res.resolutions
	if cfg.Risk != nil && len(cfg.Invoices) > 0 {
		rm, bins, err := scoreRisk(ctx, cfg.Risk, cfg.Invoices, res.Split.At)
		if err != nil {
			return err
		}
		m.Risk, res.Reliability = rm, bins
	}
	return nil
}

// elapsed sums the triage latencies.
func elapsed(cases []Case) time.Duration {
	var d time.Duration
	for _, c := range cases {
		d += c.Latency
	}
	return d
}

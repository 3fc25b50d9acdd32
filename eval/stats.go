package eval

import (
	"github.com/billtriage/billtriage/dataset/generate"
	"github.com/billtriage/billtriage/models/risk"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// datasetStats counts the split per type.
func datasetStats(s Split, history int, problems []Problem, cases []Case) DatasetStats {
	d := DatasetStats{History: history, Test: len(cases), Types: map[string]TypeCount{},
		SplitAt: s.At.UTC().Format(time.RFC3339), Problems: len(problems)}
	for _, it := range s.History {
		if it.Labelled() {
			tc := d.Types[it.Record.Type]
			tc.History++
			d.Types[it.Record.Type] = tc
		}
	}
	for _, c := range cases {
		tc := d.Types[c.Type]
		tc.Test++
		if c.Labelled {
			tc.Labelled++
			d.Labelled++
		}
		d.Types[c.Type] = tc
	}
	return d
}

// labelled returns the cases that can be scored.
func labelled(cases []Case) []Case {
	var out []Case
	for _, c := range cases {
		if c.Labelled {
			out = append(out, c)
		}
	}
	return out
}

// overall scores the labelled cases as a whole.
func overall(cases []Case) (RootCauseMetrics, ActionMetrics, QueueMetrics, AutoMetrics) {
	ls := labelled(cases)
	truth, pred := rootCauses(ls)
	acc, ok := Accuracy(truth, pred)
	f1, _ := MacroF1(truth, pred)
	rc := RootCauseMetrics{Accuracy: some(acc, ok), MacroF1: some(f1, ok), Classes: len(Classes(truth))}
	var top1, top3 int
	var q QueueMetrics
	qHit := 0
	for _, c := range ls {
		top1 += b2i(c.ActionCorrect())
		top3 += b2i(c.ActionInTop3())
		if c.LabelQueue == "" {
			q.NoLabelQueue++
			continue
		}
		q.Scored++
		qHit += b2i(c.Queue == c.LabelQueue)
	}
	q.Accuracy = ratio(qHit, q.Scored)
	act := ActionMetrics{Top1Accuracy: ratio(top1, len(ls)), Top3Accuracy: ratio(top3, len(ls))}
	return rc, act, q, autoMetrics(ls)
}

// autoMetrics is what the policy in force automated and how much of it
// was right: root cause and action both, and those with every labelled
// parameter too.
func autoMetrics(ls []Case) AutoMetrics {
	auto, correct, full := 0, 0, 0
	for _, c := range ls {
		if c.Auto {
			auto++
			correct += b2i(c.Correct())
			full += b2i(c.FullyCorrect())
		}
	}
	return AutoMetrics{AutoShare: AutoShare{Coverage: ratio(auto, len(ls)), Precision: ratio(correct, auto), FullPrecision: ratio(full, auto), Automated: auto}}
}

// perType scores each type and searches its threshold.
func perType(cases []Case, p *triage.Policy, target float64, minSupport int) (map[string]TypeMetrics, map[string][]CurvePoint, map[string]*Threshold) {
	byType := map[string][]Case{}
	for _, c := range labelled(cases) {
		byType[c.Type] = append(byType[c.Type], c)
	}
	metrics, curves, recs := map[string]TypeMetrics{}, map[string][]CurvePoint{}, map[string]*Threshold{}
	for t, cs := range byType {
		truth, pred := rootCauses(cs)
		acc, ok := Accuracy(truth, pred)
		f1, _ := MacroF1(truth, pred)
		a := autoMetrics(cs)
		metrics[t] = TypeMetrics{Test: len(cs), RootCauseAccuracy: some(acc, ok), RootCauseMacroF1: some(f1, ok),
			AutoCoverage: a.Coverage, AutoPrecision: a.Precision, AutoFullPrecision: a.FullPrecision, PolicyThreshold: p.Threshold(triage.Type(t), ""),
			Automatable: ratio(countEligible(cs), len(cs))}
		curves[t] = PrecisionCoverage(candidates(cs), len(cs))
		recs[t] = Recommend(curves[t], target, minSupport)
	}
	return metrics, curves, recs
}

func countEligible(cs []Case) int {
	n := 0
	for _, c := range cs {
		n += b2i(c.Eligible)
	}
	return n
}

func candidates(cs []Case) []Candidate {
	out := make([]Candidate, len(cs))
	for i, c := range cs {
		out[i] = Candidate{Confidence: c.Confidence, Floor: c.Floor, Eligible: c.Eligible, Correct: c.Correct()}
	}
	return out
}

func rootCauses(cs []Case) (truth, pred []string) {
	for _, c := range cs {
		truth, pred = append(truth, c.LabelRootCause), append(pred, c.RootCause)
	}
	return truth, pred
}

// runInfo names the configuration and checks the harness read the policy
// as the service applied it.
func runInfo(cfg *Config, cases []Case) RunInfo {
	svc := cfg.Service
	r := RunInfo{PolicyVersion: svc.Policy().Version(), Embedder: svc.Embedder().Name(),
		Feedback: !cfg.NoFeedback, TargetPrecision: cfg.TargetPrecision, MinSupport: cfg.MinSupport}
	if len(cases) > 0 {
		r.Model = cases[len(cases)-1].Model
	}
	for _, c := range cases {
		r.PolicyMismatches += b2i(!c.Reconstructed())
	}
	return r
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// textMetrics splits the automation figures by vague and clear text.
func textMetrics(ls []Case, truth map[string]generate.Truth) *TextMetrics {
	var v, c []Case
	for _, x := range ls {
		if truth[x.ID].Vague {
			v = append(v, x)
		} else {
			c = append(c, x)
		}
	}
	share := func(cs []Case) TextShare {
		a := autoMetrics(cs)
		mis := 0
		for _, x := range cs {
			if x.Auto && truth[x.ID].Noisy {
				mis++
			}
		}
		return TextShare{Cases: len(cs), MislabelledAutomated: mis, AutoShare: a.AutoShare}
	}
	return &TextMetrics{Vague: share(v), Clear: share(c)}
}

// confidenceMetrics measures the calibration of the suggestions'
// confidence against full correctness; nil without scored cases.
func confidenceMetrics(ls []Case) *ConfidenceMetrics {
	if len(ls) == 0 {
		return nil
	}
	p := make([]float64, len(ls))
	y := make([]bool, len(ls))
	for i, c := range ls {
		p[i], y[i] = c.Confidence, c.FullyCorrect()
	}
	return &ConfidenceMetrics{ECE: round6(risk.ECE(p, y, 10)), Cases: len(ls)}
}

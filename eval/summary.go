package eval

import (
	"fmt"
	"strings"
)

// Summary is the short text `billtriage eval` prints: the headline figures,
// the recommended thresholds and the input problems, in a few lines.
func Summary(res *Result) string {
	m := res.Metrics
	var b strings.Builder
	fmt.Fprintf(&b, "history %d, test %d (%d scored), split at %s, feedback %v\n",
		m.Dataset.History, m.Dataset.Test, m.Dataset.Labelled, m.Dataset.SplitAt, m.Run.Feedback)
	fmt.Fprintf(&b, "root cause   accuracy %s   macro-F1 %s (%d classes)\n", num(m.RootCause.Accuracy), num(m.RootCause.MacroF1), m.RootCause.Classes)
	fmt.Fprintf(&b, "action       top-1 %s   top-3 %s\n", num(m.Action.Top1Accuracy), num(m.Action.Top3Accuracy))
	fmt.Fprintf(&b, "queue        accuracy %s (%d scored)\n", num(m.Queue.Accuracy), m.Queue.Scored)
	fmt.Fprintf(&b, "auto         coverage %s   precision (full) %s   root cause + action %s   (policy %s)\n",
		num(m.Auto.Coverage), num(m.Auto.FullPrecision), num(m.Auto.Precision), m.Run.PolicyVersion)
	if c := m.Confidence; c != nil {
		fmt.Fprintf(&b, "  confidence ECE %s against root cause, action and parameters all right (%d cases)\n", fnum(c.ECE), c.Cases)
	}
	if t := m.Texts; t != nil {
		for _, x := range []struct {
			name string
			s    TextShare
		}{{"vague", t.Vague}, {"clear", t.Clear}} {
			fmt.Fprintf(&b, "  %s texts  %d cases, coverage %s   precision (full) %s   root cause + action %s   (%d automated mislabelled)\n",
				x.name, x.s.Cases, num(x.s.Coverage), num(x.s.FullPrecision), num(x.s.Precision), x.s.MislabelledAutomated)
		}
	}
	if rows := deniedRows(m.Auto.DeniedActions); len(rows) > 0 {
		fmt.Fprintf(&b, "never automated: %d suggested actions", len(rows))
		if n, actions := unlisted(m.Auto.DeniedActions); actions > 0 {
			fmt.Fprintf(&b, "; %d of them (%d cases) not in the policy's automatable_actions (default-deny: see report.md)", actions, n)
		}
		b.WriteString("\n")
	}
	for _, f := range sortedKeys(m.Enrichment) {
		e := m.Enrichment[f]
		fmt.Fprintf(&b, "enrichment   %-16s coverage %s   precision %s   (%d labelled, %d applied)\n", f, num(&e.Coverage), num(e.Precision), e.Labelled, e.Applied)
	}
	if r := m.Risk; r != nil {
		fmt.Fprintf(&b, "risk         AUC %s   Brier %s   ECE %s (%s)\n", num(r.AUC), fnum(r.Brier), fnum(r.ECE), r.Model)
	} else {
		b.WriteString("risk         no risk model\n")
	}
	l := m.LatencyMS
	fmt.Fprintf(&b, "latency ms   p50 %.2f   p95 %.2f   p99 %.2f   throughput %.1f/s (timings)\n", l.P50, l.P95, l.P99, m.ThroughputPerS)
	b.WriteString("recommended thresholds at precision " + fnum(m.Run.TargetPrecision) + ":\n")
	for _, t := range sortedKeys(m.RecommendedThresholds) {
		if r := m.RecommendedThresholds[t]; r != nil {
			fmt.Fprintf(&b, "  %-20s %s (precision %s, coverage %s, %d cases)\n", t, fnum(r.Threshold), fnum(r.Precision), fnum(r.Coverage), r.Support)
		} else {
			fmt.Fprintf(&b, "  %-20s none qualifies\n", t)
		}
	}
	if n := len(res.Problems); n > 0 {
		fmt.Fprintf(&b, "input problems: %d lines (see %s), first: %s\n", n, LabelErrorsTXT, res.Problems[0])
	}
	if m.Run.PolicyMismatches > 0 {
		fmt.Fprintf(&b, "warning: %d decisions disagree with the harness's reading of the policy\n", m.Run.PolicyMismatches)
	}
	return b.String()
}

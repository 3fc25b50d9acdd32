package eval

import (
	"fmt"
	"strconv"
	"strings"
)

// Report renders report.md: what was run, the headline table, the per-type
// table with the recommended thresholds, the actions never automated, the plots, the root-cause
// confusions, the label problems and, when asked, the comparison with
// another run. Lines that hold timings say so; everything else is
// determined by the input.
func Report(res *Result, out Output) string {
	var b strings.Builder
	sections := []func(*strings.Builder, *Result, Output){
		reportHeader, reportHeadline, reportParams, reportPerType, reportDenied, reportPlots, reportConfusion, reportProblems, reportComparison,
	}
	for _, s := range sections {
		s(&b, res, out)
	}
	return b.String()
}

func reportHeader(b *strings.Builder, res *Result, out Output) {
	m := res.Metrics
	fmt.Fprintf(b, "# billtriage eval: %s\n\n", out.Source)
	fmt.Fprintf(b, "Temporal replay: %d labelled records before %s are the history; the %d records after it were triaged one by one "+
		"through `triage.Service.Submit` (%d of them labelled and scored).", m.Dataset.History, m.Dataset.SplitAt, m.Dataset.Test, m.Dataset.Labelled)
	if m.Run.Feedback {
		rc := m.Run.Resolutions
		fmt.Fprintf(b, " Each labelled test case joined the history, at its resolution time, as a person's resolution: accepted when the "+
			"suggestion matched the label, parameters included (%d); recorded as an edit to the suggested root cause and action with "+
			"the label's parameters when only those were right (%d), so the label's corrections are learned as in production; edited "+
			"to the label otherwise (%d); %d refused by the service.", rc.Accepted, rc.EditedParams, rc.Edited, rc.Refused)
	} else {
		b.WriteString(" Feedback was off: the history stayed as it was at the split.")
	}
	fmt.Fprintf(b, "\n\nPolicy `%s`, embedder `%s`, model `%s` (at the last decision).\n\n", m.Run.PolicyVersion, m.Run.Embedder, m.Run.Model)
	if n, actions := unlisted(m.Auto.DeniedActions); n > 0 {
		fmt.Fprintf(b, "**Default-deny:** %d of the %d scored cases suggested one of %d actions that the policy's `automatable_actions` "+
			"does not list for their type, so they went to a person whatever their confidence: automation is default-deny, and this "+
			"data set's taxonomy is not (all) in the policy. See [Actions never automated](#actions-never-automated) for what would "+
			"need to be allowed.\n\n", n, m.Dataset.Labelled, actions)
	}
	if m.Run.PolicyMismatches > 0 {
		fmt.Fprintf(b, "**Warning:** for %d cases the harness's reading of the policy disagrees with the service's decision; "+
			"the recommended thresholds assume rules the policy no longer has alone.\n\n", m.Run.PolicyMismatches)
	}
}

func reportHeadline(b *strings.Builder, res *Result, _ Output) {
	m := res.Metrics
	b.WriteString("## Headline\n\n| metric | value | notes |\n|---|---:|---|\n")
	row := func(name, value, note string) { fmt.Fprintf(b, "| %s | %s | %s |\n", name, value, note) }
	row("root-cause accuracy", num(m.RootCause.Accuracy), fmt.Sprintf("%d scored cases", m.Dataset.Labelled))
	row("root-cause macro-F1", num(m.RootCause.MacroF1), fmt.Sprintf("mean over %d true classes", m.RootCause.Classes))
	row("action top-1 accuracy", num(m.Action.Top1Accuracy), "")
	row("action top-3 accuracy", num(m.Action.Top3Accuracy), "label action among the suggestion and the top-3 alternatives")
	row("queue accuracy", num(m.Queue.Accuracy), fmt.Sprintf("%d cases; %d labels name no queue", m.Queue.Scored, m.Queue.NoLabelQueue))
	row("auto-enrichment coverage", num(m.Auto.Coverage), fmt.Sprintf("policy in force: %d automated", m.Auto.Automated))
	// The full figure comes first: it is what was applied. The root-cause
	// and action figure stays beside it while thresholds and older runs
	// are still read in its terms.
	row("auto precision (full) / root cause + action", num(m.Auto.FullPrecision)+" / "+num(m.Auto.Precision),
		"full: root cause, action and every parameter the label states right (see [Parameters](#parameters)); then root cause and action only")
	for _, f := range sortedKeys(m.Enrichment) {
		e := m.Enrichment[f]
		row("enrichment "+f+" coverage / precision", num(&e.Coverage)+" / "+num(e.Precision),
			fmt.Sprintf("%d labelled corrections, %d applied automatically, %d right", e.Labelled, e.Applied, e.Correct))
	}
	if r := m.Risk; r != nil {
		row("risk AUC", num(r.AUC), fmt.Sprintf("model %s, %d invoices, %d bad", r.Model, r.Invoices, r.Positives))
		row("risk Brier", fnum(r.Brier), "")
		row("risk ECE", fnum(r.ECE), "10 equal-width bins")
	} else {
		row("risk", "—", "no risk model")
	}
	l := m.LatencyMS
	row("latency p50 / p95 / p99 (ms)", fmt.Sprintf("%.2f / %.2f / %.2f", l.P50, l.P95, l.P99), "**timing**: one Submit call; differs between runs")
	row("throughput (per s)", fmt.Sprintf("%.1f", m.ThroughputPerS), "**timing**: one client, one exception per call")
	b.WriteString("\n")
}

func reportPerType(b *strings.Builder, res *Result, _ Output) {
	m := res.Metrics
	fmt.Fprintf(b, "## Per type\n\nRecommended threshold: the lowest confidence threshold at which the type's automated cases reach precision %s "+
		"on at least %d cases (coverage is of all the type's scored cases; whatever the policy holds back for other reasons — actions not in `automatable_actions`, human-only actions, amount and risk limits, distant precedents, enrichment holds — "+
		"stays with people at any threshold; *automatable* is the share left once those rules are applied, the most any threshold "+
		"can automate).\n\n", fnum(m.Run.TargetPrecision), m.Run.MinSupport)
	b.WriteString("Recommended thresholds are still searched on root-cause and action precision; *auto precision (full)* also asks every labelled parameter to be right.\n\n")
	b.WriteString("| type | history | scored | root-cause acc. | root-cause macro-F1 | automatable | policy threshold | auto coverage | auto precision (full) | auto precision (root cause + action) | recommended threshold | its precision | its coverage | support |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	var none, denied []string
	for _, t := range sortedKeys(m.PerType) {
		pt := m.PerType[t]
		rec := m.RecommendedThresholds[t]
		recCells := "none | — | — | —"
		switch {
		case rec != nil:
			recCells = fmt.Sprintf("%s | %s | %s | %d", fnum(rec.Threshold), fnum(rec.Precision), fnum(rec.Coverage), rec.Support)
		case pt.Automatable != nil && *pt.Automatable == 0:
			// No threshold can help here: the data is not the cause, the
			// policy's other rules are (most often default-deny).
			denied = append(denied, "`"+t+"`")
		default:
			none = append(none, "`"+t+"`")
		}
		fmt.Fprintf(b, "| %s | %d | %d | %s | %s | %s | %s | %s | %s | %s | %s |\n", t, m.Dataset.Types[t].History, pt.Test,
			num(pt.RootCauseAccuracy), num(pt.RootCauseMacroF1), num(pt.Automatable), fnum(pt.PolicyThreshold),
			num(pt.AutoCoverage), num(pt.AutoFullPrecision), num(pt.AutoPrecision), recCells)
	}
	if len(none) > 0 {
		fmt.Fprintf(b, "\nNo threshold reaches precision %s on %d or more automatable cases for %s: keep those types with people, or gather more history.\n",
			fnum(m.Run.TargetPrecision), m.Run.MinSupport, strings.Join(none, ", "))
	}
	if len(denied) > 0 {
		fmt.Fprintf(b, "\nThe policy automates no case of %s at any confidence, so no threshold can be recommended: "+
			"see [Actions never automated](#actions-never-automated) for the rule that holds each suggested action.\n", strings.Join(denied, ", "))
	}
	b.WriteString("\n")
}

// reportParams shows, per parameter, how often the suggestion carried a
// value and how often it was the label's, so a low full precision can be
// traced to the parameters behind it.
func reportParams(b *strings.Builder, res *Result, _ Output) {
	m := res.Metrics
	b.WriteString("## Parameters\n\n")
	if len(m.Params) == 0 {
		b.WriteString("Neither the labels nor the suggestions carry parameters: full precision is root-cause and action precision.\n\n")
		return
	}
	b.WriteString("Per parameter, over all scored cases and over the automated ones: *labelled* cases whose label states it, " +
		"*suggested* cases the suggestion gave a value (the closest agreeing precedent's parameters; for `corrections`, those " +
		"enrichment applied, compared as sets of field, key and target), *right* values equal to the label's (strings trimmed, " +
		"numbers within 0.5% or 0.01). Precision is right / suggested (a value the label does not state counts as wrong); coverage " +
		"is the share of labelled cases that got a value. Where each value came from is not recorded yet.\n\n")
	b.WriteString("| parameter | labelled | suggested | right | precision | coverage | auto: labelled | suggested | right | precision | coverage |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, name := range sortedKeys(m.Params) {
		a, u := m.Params[name].All, m.Params[name].Auto
		fmt.Fprintf(b, "| `%s` | %d | %d | %d | %s | %s | %d | %d | %d | %s | %s |\n", name, a.Labelled, a.Suggested, a.Correct,
			num(a.Precision), num(a.Coverage), u.Labelled, u.Suggested, u.Correct, num(u.Precision), num(u.Coverage))
	}
	b.WriteString("\n")
}

func reportPlots(b *strings.Builder, res *Result, _ Output) {
	b.WriteString("## Plots\n\n")
	fmt.Fprintf(b, "![precision versus coverage](%s)\n\n", PrecisionCoveragePNG)
	if res.Metrics.Risk != nil {
		fmt.Fprintf(b, "![reliability of the risk model](%s)\n\n", ReliabilityPNG)
	}
	fmt.Fprintf(b, "![latency distribution (timing)](%s)\n\n", LatencyPNG)
}

// num formats a metric that may be undefined.
func num(v *float64) string {
	if v == nil {
		return "n/a"
	}
	return fnum(*v)
}

func fnum(v float64) string { return strconv.FormatFloat(v, 'f', 4, 64) }

package eval

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Report limits: a matrix wider than maxMatrix classes is unreadable in
// markdown, so larger taxonomies get their worst confusions as a list (the
// full matrix is in confusion.csv); the problem list is cut likewise (all
// of it is in label_errors.txt).
const (
	maxMatrix    = 12
	maxConfusion = 20
	maxProblems  = 20
)

func reportConfusion(b *strings.Builder, res *Result, _ Output) {
	b.WriteString("## Root-cause confusion\n\nRows are the labels, columns the suggestions (`∅`: no precedent, so no suggestion). ")
	fmt.Fprintf(b, "Every cell of every type is in `%s`.\n\n", ConfusionCSV)
	byType := map[string][]Case{}
	for _, c := range labelled(res.Cases) {
		byType[c.Type] = append(byType[c.Type], c)
	}
	for _, t := range sortedKeys(byType) {
		truth, pred := rootCauses(byType[t])
		conf := NewConfusion(truth, pred)
		fmt.Fprintf(b, "### %s\n\n", t)
		if len(conf.Predicted) <= maxMatrix {
			writeMatrix(b, conf)
		} else {
			writeErrors(b, conf, len(truth))
		}
		b.WriteString("\n")
	}
}

func writeMatrix(b *strings.Builder, c Confusion) {
	b.WriteString("| label \\ suggestion |")
	for i := range c.Predicted {
		fmt.Fprintf(b, " %d |", i+1)
	}
	b.WriteString("\n|---|" + strings.Repeat("---:|", len(c.Predicted)) + "\n")
	for _, t := range c.Truth {
		fmt.Fprintf(b, "| %s |", cell(t))
		for _, p := range c.Predicted {
			n := c.Counts[[2]string{t, p}]
			switch {
			case n == 0:
				b.WriteString(" · |")
			case t == p:
				fmt.Fprintf(b, " **%d** |", n)
			default:
				fmt.Fprintf(b, " %d |", n)
			}
		}
		b.WriteString("\n")
	}
	b.WriteString("\nColumns: ")
	for i, p := range c.Predicted {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(b, "%d = %s", i+1, cell(p))
	}
	b.WriteString(".\n")
}

func writeErrors(b *strings.Builder, c Confusion, total int) {
	errs := c.Errors()
	wrong := 0
	for _, e := range errs {
		wrong += e.Count
	}
	fmt.Fprintf(b, "%d classes: too many for a table. %d of %d cases wrong; the most frequent confusions:\n\n", len(c.Truth), wrong, total)
	b.WriteString("| label | suggested | cases |\n|---|---|---:|\n")
	for _, e := range errs[:min(len(errs), maxConfusion)] {
		fmt.Fprintf(b, "| %s | %s | %d |\n", cell(e.Truth), cell(e.Predicted), e.Count)
	}
}

func cell(s string) string {
	if s == "" {
		return "∅"
	}
	return "`" + s + "`"
}

func reportProblems(b *strings.Builder, res *Result, _ Output) {
	b.WriteString("## Input problems\n\n")
	if len(res.Problems) == 0 {
		b.WriteString("None: every line was a valid, labelled record.\n\n")
		return
	}
	fmt.Fprintf(b, "%d lines (all in `%s`):\n\n", len(res.Problems), LabelErrorsTXT)
	for _, p := range res.Problems[:min(len(res.Problems), maxProblems)] {
		fmt.Fprintf(b, "- %s\n", p)
	}
	if len(res.Problems) > maxProblems {
		fmt.Fprintf(b, "- … and %d more\n", len(res.Problems)-maxProblems)
	}
	b.WriteString("\n")
}

func reportComparison(b *strings.Builder, _ *Result, out Output) {
	if out.Compare == nil {
		return
	}
	fmt.Fprintf(b, "## Compared with %s\n\nTiming rows (`latency_ms.*`, `throughput_per_s`) differ between any two runs.\n\n", out.Compare.Other)
	b.WriteString(out.Compare.Markdown())
	b.WriteString("\n")
}

// unlisted counts the scored cases and the actions held only because the
// policy does not list the action for its type.
func unlisted(denied map[string]map[string]DeniedAction) (cases, actions int) {
	for _, byAction := range denied {
		for _, d := range byAction {
			if d.Reason == DeniedNotAutomatable {
				cases += d.Suggested
				actions++
			}
		}
	}
	return cases, actions
}

func reportDenied(b *strings.Builder, res *Result, _ Output) {
	b.WriteString("## Actions never automated\n\n")
	rows := deniedRows(res.Metrics.Auto.DeniedActions)
	if len(rows) == 0 {
		b.WriteString("None: every action the scored cases suggested was automated at least once.\n\n")
		return
	}
	b.WriteString("Suggested actions that no scored case had automated, by type, and the first rule that held them all " +
		"(`human_only`: in `human_only_actions`; `not_automatable`: not listed in `automatable_actions` for the type, so denied by " +
		"default; `below_threshold`: allowed, but no confidence reached the threshold; `other_rules`: amount or risk limits, distant " +
		"precedents, enrichment holds). *Right* counts the cases whose root cause and action were both right: the most that allowing " +
		"the action could have automated correctly.\n\n")
	b.WriteString("| type | action | suggested | right | reason | why |\n|---|---|---:|---:|---|---|\n")
	allow := map[string][]string{}
	for _, r := range rows {
		fmt.Fprintf(b, "| %s | `%s` | %d | %d | %s | %s |\n", r.Type, r.Action, r.Suggested, r.Correct, r.Reason, r.Why)
		if r.Reason == DeniedNotAutomatable {
			allow[r.Type] = append(allow[r.Type], r.Action)
		}
	}
	b.WriteString("\n")
	if len(allow) == 0 {
		b.WriteString("Every suggested action is listed in `automatable_actions`: nothing here needs allowing.\n\n")
		return
	}
	b.WriteString("To automate the `not_automatable` actions at all, the policy's `automatable_actions` would need to allow them " +
		"(then the thresholds and every other rule still apply). Allow only those that do not move money; an action that does " +
		"belongs in `human_only_actions` instead. As `automatable_actions` entries, to merge with the policy's own:\n\n```json\n")
	for _, actions := range allow {
		sort.Strings(actions)
	}
	lists, _ := json.MarshalIndent(allow, "", "  ") // a map of string slices always encodes
	b.Write(lists)
	b.WriteString("\n```\n\n")
}

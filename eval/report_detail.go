package eval

import (
	"fmt"
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

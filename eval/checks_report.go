package eval

import (
	"fmt"
	"io"
	"strings"

	"github.com/billtriage/billtriage/triage"
)

// ChecksReport is what `billtriage eval checks` measures.
type ChecksReport struct {
	Drafts  DraftScores   `json:"drafts"`
	SplitAt string        `json:"split_at"`
	Caught  []CaughtScore `json:"caught"`
	Control CaughtScore   `json:"control"`
}

// WriteMarkdown writes the report as tables.
func (r ChecksReport) WriteMarkdown(w io.Writer) error {
	d := r.Drafts
	fmt.Fprintf(w, "Drafts: %d, %d with a seeded fault; held %d (%d faulty, %d clean)\n\n", d.Drafts, d.Faulty, d.Held, d.HeldFaulty, d.CleanHeld)
	fmt.Fprintln(w, "| check | seeded | flagged | true positives | precision | recall |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|")
	for _, s := range d.PerCheck {
		fmt.Fprintf(w, "| %s | %d | %d | %d | %s | %s |\n", s.Check, s.Seeded, s.Flagged, s.TP, pct(s.Precision), pct(s.Recall))
	}
	fmt.Fprintf(w, "\nLater exceptions (occurred from %s) the checks would have held before release:\n\n", r.SplitAt)
	fmt.Fprintln(w, "| type | root cause | cases | caught | share | held by |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---|")
	rows := r.Caught
	if r.Control.Cases > 0 {
		rows = append(rows, r.Control)
	}
	for _, s := range rows {
		fmt.Fprintf(w, "| %s | %s | %d | %d | %s | %s |\n", s.Type, s.RootCause, s.Cases, s.Caught, pct(s.Share), byCheck(s.ByCheck))
	}
	_, err := fmt.Fprintln(w)
	return err
}

func pct(v *float64) string {
	if v == nil {
		return "–"
	}
	return fmt.Sprintf("%.1f%%", 100**v)
}

// byCheck lists the checks that held cases, in check order.
func byCheck(m map[triage.Check]int) string {
	var parts []string
	for _, c := range triage.Checks {
		if m[c] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", c, m[c]))
		}
	}
	return strings.Join(parts, ", ")
}

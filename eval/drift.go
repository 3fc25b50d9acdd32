package eval

import (
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/dataset/generate"
	"github.com/billtriage/billtriage/triage"
)

// DriftReport is what `billtriage eval drift` measures: each seeded drift
// found or not and how soon, and the findings that were no seeded drift.
type DriftReport struct {
	Days        int                   `json:"days"`
	Drifts      []DriftDetection      `json:"drifts"`
	FalseAlarms []DriftAlarm          `json:"false_alarms"`
	PerMonth    *float64              `json:"false_alarms_per_month"`
	Findings    []triage.DriftFinding `json:"findings"`
}

// DriftDetection is one seeded drift and when it was first found.
type DriftDetection struct {
	Source   string   `json:"source"`
	Field    string   `json:"field"`
	At       string   `json:"at"`
	Detected bool     `json:"detected"`
	Days     *float64 `json:"days_to_detect"`
	Kinds    []string `json:"kinds"`
}

// DriftAlarm is a finding that no seeded drift explains.
type DriftAlarm struct {
	Day    string           `json:"day"`
	Source string           `json:"source"`
	Kind   triage.DriftKind `json:"kind"`
	Field  string           `json:"field"`
}

// ReplayDrift runs the drift detector as the periodic job would, once at
// the end of every day of recs (oldest first), on the records received
// until then, remembering what it reported for cfg.Quiet. A finding on a
// seeded drift's source from its day on detects it; any other finding is
// a false alarm.
func ReplayDrift(recs []dataset.Record, drifts []generate.Drift, cfg triage.DriftConfig) DriftReport {
	cfg = cfg.WithDefaults()
	sort.SliceStable(recs, func(i, j int) bool { return recs[i].OccurredAt.Before(recs[j].OccurredAt) })
	exs := make([]triage.Exception, len(recs))
	for i, r := range recs {
		exs[i] = r.Exception()
	}
	var rep DriftReport
	reported := map[string]time.Time{}
	if len(exs) == 0 {
		return rep
	}
	first := exs[0].OccurredAt.UTC().Truncate(24 * time.Hour)
	last := exs[len(exs)-1].OccurredAt
	n := 0
	for day := first.AddDate(0, 0, 1); !day.After(last.AddDate(0, 0, 1)); day = day.AddDate(0, 0, 1) {
		for n < len(exs) && exs[n].OccurredAt.Before(day) {
			n++
		}
		rep.Days++
		quiet := map[string]bool{}
		for k, at := range reported {
			quiet[k] = day.Sub(at) < cfg.Quiet
		}
		for _, f := range triage.FindDrift(exs[:n], cfg, quiet, day) {
			reported[f.Key()] = day
			rep.Findings = append(rep.Findings, f)
		}
	}
	rep.score(drifts)
	return rep
}

func (rep *DriftReport) score(drifts []generate.Drift) {
	explained := make([]bool, len(rep.Findings))
	for _, d := range drifts {
		det := DriftDetection{Source: d.Source, Field: d.From + " → " + d.To, At: d.At.Format(time.DateOnly)}
		for i, f := range rep.Findings {
			if f.Source != d.Source || f.DetectedAt.Before(d.At) {
				continue
			}
			explained[i] = true
			det.Kinds = append(det.Kinds, string(f.Kind)+" "+f.Field)
			if !det.Detected {
				det.Detected = true
				days := f.DetectedAt.Sub(d.At).Hours() / 24
				det.Days = &days
			}
		}
		rep.Drifts = append(rep.Drifts, det)
	}
	for i, f := range rep.Findings {
		if !explained[i] {
			rep.FalseAlarms = append(rep.FalseAlarms, DriftAlarm{Day: f.DetectedAt.Format(time.DateOnly), Source: f.Source, Kind: f.Kind, Field: f.Field})
		}
	}
	if rep.Days > 0 {
		v := round6(float64(len(rep.FalseAlarms)) / (float64(rep.Days) / 30))
		rep.PerMonth = &v
	}
}

// WriteMarkdown writes the report.
func (rep DriftReport) WriteMarkdown(w io.Writer) error {
	fmt.Fprintf(w, "Replayed %d days; %d findings, %d false alarms (%s a month)\n\n", rep.Days, len(rep.Findings), len(rep.FalseAlarms), fmtNum(rep.PerMonth))
	if len(rep.Drifts) > 0 {
		fmt.Fprintln(w, "| source | drift | from | detected | days to detect | findings |")
		fmt.Fprintln(w, "|---|---|---|---|---:|---|")
		for _, d := range rep.Drifts {
			fmt.Fprintf(w, "| %s | %s | %s | %v | %s | %v |\n", d.Source, d.Field, d.At, d.Detected, fmtNum(d.Days), d.Kinds)
		}
		fmt.Fprintln(w)
	}
	for _, a := range rep.FalseAlarms {
		fmt.Fprintf(w, "- false alarm %s: %s %s %s\n", a.Day, a.Source, a.Kind, a.Field)
	}
	_, err := fmt.Fprintln(w)
	return err
}

func fmtNum(v *float64) string {
	if v == nil {
		return "–"
	}
	return fmt.Sprintf("%.2f", *v)
}

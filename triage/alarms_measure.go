package triage

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// AlertKind names what a drift alarm measures.
type AlertKind string

// The drift alarms, and the brake's pause.
const (
	// KindPrecision is the realised precision of automated decisions:
	// of those people have since given a verdict on (a resolution, a
	// revert, a later failed posting of the same invoice), the share
	// they agreed with.
	KindPrecision AlertKind = "precision"
	// KindAutomatedShare is the share of items decided automatically.
	KindAutomatedShare AlertKind = "automated_share"
	// KindConfidencePSI is the shift of the decisions' confidences (PSI).
	KindConfidencePSI AlertKind = "confidence_psi"
	// KindNewSources counts sources never seen before the week.
	KindNewSources AlertKind = "new_sources"
	// KindNewRootCauses counts root causes never resolved before the week.
	KindNewRootCauses AlertKind = "new_root_causes"
	// KindUnseenShapes is the share of identifiers of an unseen shape.
	KindUnseenShapes AlertKind = "unseen_shapes"
	// KindCalibration is the risk model's expected calibration error.
	KindCalibration AlertKind = "calibration"
	// KindPaused is the brake: automation of the type is paused.
	KindPaused AlertKind = "automation_paused"
)

// AlertKinds lists every kind in a stable order.
var AlertKinds = []AlertKind{KindPrecision, KindAutomatedShare, KindConfidencePSI, KindNewSources,
	KindNewRootCauses, KindUnseenShapes, KindCalibration, KindPaused}

// ConfidenceBins is how many equal-width bins of [0, 1] the confidence
// shift compares.
const ConfidenceBins = 10

// AlarmQuery asks for the facts of one measured window [From, To) and its
// reference window [RefFrom, From).
type AlarmQuery struct {
	From, To, RefFrom time.Time
	// LateAfterDays is when an unpaid invoice counts as late.
	LateAfterDays int
	// MaxIDs bounds the identifiers read per window and type.
	MaxIDs int
}

// AlarmFacts is what the store counts for one type in a AlarmQuery's
// windows; EvaluateAlarms turns it into measures.
type AlarmFacts struct {
	Type Type
	// Decisions and Automated count the window's decisions; Ref* the
	// reference window's.
	Decisions, Automated       int
	RefDecisions, RefAutomated int
	// Verdicts counts the window's automated decisions people have given
	// a verdict on since, Correct those they agreed with.
	Verdicts, Correct int
	// Confidence and RefConfidence count decisions by confidence bin.
	Confidence, RefConfidence [ConfidenceBins]int
	// NewSources and NewRootCauses were first seen in the window; both are
	// empty when nothing of the type was seen before it.
	NewSources, NewRootCauses []string
	// IDs and RefIDs are the distinct identifiers (invoice and customer
	// ids) of the window's and the reference window's exceptions.
	IDs, RefIDs []string
	// Risk pairs the predicted late probability with the outcome, for
	// the invoices whose outcome became known in the window.
	Risk []RiskOutcome
}

// RiskOutcome is one scored invoice whose outcome is known.
type RiskOutcome struct {
	Predicted float64
	Late      bool
}

// Measure is one alarm's measurement for a type and ISO week.
type Measure struct {
	Week      string    `json:"week"`
	Type      Type      `json:"type"`
	Kind      AlertKind `json:"kind"`
	Value     float64   `json:"value"`
	Threshold float64   `json:"threshold"`
	// Samples is how many items the value rests on.
	Samples int `json:"samples"`
	// Known is false when there were too few samples for the value to
	// count; it then neither raises nor clears an alarm.
	Known  bool   `json:"known"`
	Breach bool   `json:"breach"`
	Detail string `json:"detail,omitempty"`
}

// EvaluateAlarms measures f against th for week.
func EvaluateAlarms(f AlarmFacts, th AlarmThresholds, week string) []Measure {
	m := func(k AlertKind, v, limit float64, n int, known, breach bool, detail string) Measure {
		if !known {
			breach = false
		}
		return Measure{Week: week, Type: f.Type, Kind: k, Value: round4(v), Threshold: limit, Samples: n, Known: known, Breach: breach, Detail: detail}
	}
	var out []Measure
	prec := ratio(f.Correct, f.Verdicts)
	out = append(out, m(KindPrecision, prec, th.MinPrecision, f.Verdicts, f.Verdicts >= th.MinVerdicts, prec < th.MinPrecision,
		fmt.Sprintf("%d of %d automated decisions with a verdict were right", f.Correct, f.Verdicts)))
	enough := f.Decisions >= th.MinDecisions && f.RefDecisions >= th.MinDecisions
	share, ref := ratio(f.Automated, f.Decisions), ratio(f.RefAutomated, f.RefDecisions)
	out = append(out, m(KindAutomatedShare, share, th.MaxAutomatedShareChange, f.Decisions, enough,
		math.Abs(share-ref) > th.MaxAutomatedShareChange, fmt.Sprintf("%.2f automated against %.2f in the reference window", share, ref)))
	psi := PSI(f.Confidence[:], f.RefConfidence[:])
	out = append(out, m(KindConfidencePSI, psi, th.MaxConfidencePSI, f.Decisions, enough, psi > th.MaxConfidencePSI,
		"against the confidences of the reference window"))
	out = append(out, m(KindNewSources, float64(len(f.NewSources)), float64(th.MaxNewSources), len(f.NewSources), true,
		len(f.NewSources) > th.MaxNewSources, listed(f.NewSources)))
	out = append(out, m(KindNewRootCauses, float64(len(f.NewRootCauses)), float64(th.MaxNewRootCauses), len(f.NewRootCauses), true,
		len(f.NewRootCauses) > th.MaxNewRootCauses, listed(f.NewRootCauses)))
	unseen, n := UnseenShareOfShapes(f.IDs, f.RefIDs)
	out = append(out, m(KindUnseenShapes, unseen, th.MaxUnseenShapeShare, n, n > 0 && len(f.RefIDs) > 0,
		unseen > th.MaxUnseenShapeShare, "identifiers whose shape the reference window never had"))
	ece := CalibrationError(f.Risk)
	out = append(out, m(KindCalibration, ece, th.MaxCalibrationError, len(f.Risk), len(f.Risk) >= th.MinDecisions,
		ece > th.MaxCalibrationError, "expected calibration error over ten bins"))
	return out
}

// PSI is the population stability index of the distribution counted in
// cur against ref, bin by bin: Σ (c − r) · ln(c / r) over the bins'
// shares, each floored at 0.0001 so an empty bin does not make it
// infinite. 0 when either is empty.
func PSI(cur, ref []int) float64 {
	nc, nr := sum(cur), sum(ref)
	if nc == 0 || nr == 0 {
		return 0
	}
	const floor = 1e-4
	psi := 0.0
	for i := range cur {
		c := math.Max(float64(cur[i])/float64(nc), floor)
		r := math.Max(float64(ref[i])/float64(nr), floor)
		psi += (c - r) * math.Log(c/r)
	}
	return psi
}

// ConfidenceBin is the bin of ConfidenceBins a confidence falls in.
func ConfidenceBin(c float64) int {
	return min(max(int(c*ConfidenceBins), 0), ConfidenceBins-1)
}

// CalibrationError is the expected calibration error over ten equal
// bins of predicted probability: the bins' |mean predicted − observed
// late share|, weighted by their sizes. 0 with no outcomes.
func CalibrationError(rs []RiskOutcome) float64 {
	if len(rs) == 0 {
		return 0
	}
	var n, pred, late [10]float64
	for _, r := range rs {
		b := min(max(int(r.Predicted*10), 0), 9)
		n[b]++
		pred[b] += r.Predicted
		if r.Late {
			late[b]++
		}
	}
	ece := 0.0
	for b := range n {
		if n[b] > 0 {
			ece += n[b] / float64(len(rs)) * math.Abs(pred[b]/n[b]-late[b]/n[b])
		}
	}
	return ece
}

// IDShape is an identifier's shape: its separators kept, each run of
// letters, digits or both replaced by its class and length
// (INV-2025-00042 → A3-94-95, acct_9f3a → A4_X4). It compares how
// identifiers are built, whatever their values.
func IDShape(id string) string {
	p := splitKey(id)
	var b strings.Builder
	for i, run := range p.runs {
		b.WriteString(p.seps[i])
		class := "X"
		switch {
		case strings.IndexFunc(run, func(r rune) bool { return r < '0' || r > '9' }) < 0:
			class = "9"
		case strings.IndexFunc(run, func(r rune) bool { return r >= '0' && r <= '9' }) < 0:
			class = "A"
		}
		fmt.Fprintf(&b, "%s%d", class, len(run))
	}
	b.WriteString(p.seps[len(p.seps)-1])
	return b.String()
}

// UnseenShareOfShapes returns the share of ids whose IDShape none of ref
// has, and how many ids there were.
func UnseenShareOfShapes(ids, ref []string) (float64, int) {
	known := map[string]bool{}
	for _, r := range ref {
		known[IDShape(r)] = true
	}
	unseen := 0
	for _, id := range ids {
		if !known[IDShape(id)] {
			unseen++
		}
	}
	return ratio(unseen, len(ids)), len(ids)
}

// WeekStart is the Monday 00:00 UTC that starts t's ISO week.
func WeekStart(t time.Time) time.Time {
	t = t.UTC()
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

// WeekLabel names t's ISO week, e.g. 2026-W49.
func WeekLabel(t time.Time) string {
	y, w := t.UTC().ISOWeek()
	return fmt.Sprintf("%d-W%02d", y, w)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

func round4(v float64) float64 { return math.Round(v*1e4) / 1e4 }

// listed names a few of names for a measure's detail.
func listed(names []string) string {
	if len(names) > 5 {
		return strings.Join(names[:5], ", ") + fmt.Sprintf(" and %d more", len(names)-5)
	}
	return strings.Join(names, ", ")
}

package eval

import (
	"encoding/json"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/billtriage/billtriage/triage"
)

// CorrectionsParam is the parameter that carries a resolution's field
// corrections; it is compared as a set, not as a list.
const CorrectionsParam = "corrections"

// Number tolerance of parameter equality: amounts and rates are written
// with different rounding by different people and systems (12.5 and 12.50,
// a rate of 0.0725 rounded to 0.073), and a difference within either bound
// changes nothing that is applied.
const (
	paramRelTol = 0.005
	paramAbsTol = 0.01
)

// ParamCheck is one parameter of one case: the label's value (nil when the
// label does not state it), the suggested one (nil when the suggestion
// gave none) and whether they are equal by ParamEqual.
//
// The suggested parameters are what accepting the suggestion would record:
// the decision's parameters (taken from its closest agreeing precedent)
// and, as "corrections", the field corrections enrichment applied. The
// decision does not record where each parameter came from, so there is no
// per-source breakdown yet.
type ParamCheck struct {
	Name      string `json:"name"`
	Label     any    `json:"label,omitempty"`
	Suggested any    `json:"suggested,omitempty"`
	Correct   bool   `json:"correct"`
}

// caseParams compares the label's parameters with the suggested ones, by
// name. A corrections field whose label was later reversed is left out on
// both sides, as the enrichment metrics do: the label is known to be wrong
// there.
func caseParams(label map[string]any, d *triage.Decision) []ParamCheck {
	var suggested map[string]any
	var applied []triage.AppliedCorrection
	if d != nil {
		suggested = d.Params
		applied = appliedOf(d.Enrichments)
	}
	names := map[string]bool{}
	for k, v := range label {
		if v != nil {
			names[k] = true
		}
	}
	for k, v := range suggested {
		if v != nil && k != CorrectionsParam {
			names[k] = true
		}
	}
	labelCs, sugCs := correctionSets(label, applied)
	if len(labelCs) > 0 || len(sugCs) > 0 {
		names[CorrectionsParam] = true
	} else {
		delete(names, CorrectionsParam)
	}
	out := make([]ParamCheck, 0, len(names))
	for name := range names {
		pc := ParamCheck{Name: name}
		if name == CorrectionsParam {
			if len(labelCs) > 0 {
				pc.Label = labelCs
			}
			if len(sugCs) > 0 {
				pc.Suggested = sugCs
			}
			pc.Correct = len(labelCs) > 0 && correctionSetsEqual(labelCs, sugCs)
		} else {
			pc.Label, pc.Suggested = label[name], suggested[name]
			pc.Correct = pc.Label != nil && ParamEqual(pc.Label, pc.Suggested)
		}
		out = append(out, pc)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func appliedOf(es []triage.Enrichment) []triage.AppliedCorrection {
	var out []triage.AppliedCorrection
	for _, e := range es {
		if e.Applied != nil {
			out = append(out, *e.Applied)
		}
	}
	return out
}

// CorrectionKey is a correction as parameter equality sees it: what field
// of which identifier was set to what. From is left out because the label's
// from and the exception's observed value are the same fact, and the key
// defaults to it.
type CorrectionKey struct {
	Field string `json:"field"`
	Key   string `json:"key"`
	To    string `json:"to"`
}

// correctionSets returns the label's and the applied corrections as sorted
// sets, without the fields whose label correction was reversed. Malformed
// label corrections are the input reader's to report; here they simply
// state nothing.
func correctionSets(label map[string]any, applied []triage.AppliedCorrection) (labelSet, appliedSet []CorrectionKey) {
	cs, _ := triage.CorrectionsFromParams(label)
	reversed := map[string]bool{}
	for _, c := range cs {
		if c.ReversedAt != nil {
			reversed[c.Field] = true
		}
	}
	for _, c := range cs {
		if !reversed[c.Field] {
			labelSet = append(labelSet, CorrectionKey{c.Field, c.Key, c.To})
		}
	}
	for _, a := range applied {
		if !reversed[a.Field] {
			appliedSet = append(appliedSet, CorrectionKey{strings.TrimSpace(a.Field), strings.TrimSpace(a.Key), strings.TrimSpace(a.After)})
		}
	}
	return uniqueSorted(labelSet), uniqueSorted(appliedSet)
}

func uniqueSorted(ks []CorrectionKey) []CorrectionKey {
	sort.Slice(ks, func(i, j int) bool {
		a, b := ks[i], ks[j]
		if a.Field != b.Field {
			return a.Field < b.Field
		}
		if a.Key != b.Key {
			return a.Key < b.Key
		}
		return a.To < b.To
	})
	out := ks[:0]
	for i, k := range ks {
		if i == 0 || k != ks[i-1] {
			out = append(out, k)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// correctionSetsEqual compares two sorted, duplicate-free sets of corrections.
func correctionSetsEqual(a, b []CorrectionKey) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// ParamEqual reports whether a suggested parameter value equals the
// label's. Strings are compared trimmed and case-sensitive (identifiers such
// as GL accounts are case-sensitive in the ERPs). Numbers are equal within
// 0.005 relative or 0.01 absolute, and a string that parses as a number is
// compared as one when the other side is a number (a label's "12.50" and a
// precedent's 12.5 are the same amount; two strings stay strings, so the
// identifiers "0042" and "42" differ). Booleans compare as booleans; lists element by element in order,
// objects key by key, with the same rules. Nil equals only nil.
// (Corrections are compared as sets by caseParams, not here.)
func ParamEqual(label, suggested any) bool {
	if label == nil || suggested == nil {
		return label == nil && suggested == nil
	}
	if isNumber(label) || isNumber(suggested) {
		x, okX := paramNumber(label)
		y, okY := paramNumber(suggested)
		return okX && okY && numbersEqual(x, y)
	}
	switch l := label.(type) {
	case string:
		s, ok := suggested.(string)
		return ok && strings.TrimSpace(l) == strings.TrimSpace(s)
	case bool:
		s, ok := suggested.(bool)
		return ok && l == s
	case []any:
		s, ok := suggested.([]any)
		if !ok || len(s) != len(l) {
			return false
		}
		for i := range l {
			if !ParamEqual(l[i], s[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		s, ok := suggested.(map[string]any)
		if !ok || len(s) != len(l) {
			return false
		}
		for k, v := range l {
			if !ParamEqual(v, s[k]) {
				return false
			}
		}
		return true
	}
	return false
}

// isNumber reports whether v is a JSON number of any Go type.
func isNumber(v any) bool {
	switch v.(type) {
	case float64, float32, int, int64, json.Number:
		return true
	}
	return false
}

// paramNumber reads v as a number: a JSON number of any Go type, or a
// string that parses as one.
func paramNumber(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case float32:
		return float64(n), true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(n), 64)
		return f, err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)
	}
	return 0, false
}

func numbersEqual(x, y float64) bool {
	d := math.Abs(x - y)
	return d <= paramAbsTol || d <= paramRelTol*math.Max(math.Abs(x), math.Abs(y))
}

// ParamMetrics scores one parameter over a set of cases. Labelled counts
// the cases whose label states it, Suggested those the suggestion gave a
// value, Correct those whose value equals the label's. Precision is
// Correct / Suggested (a value where the label states none counts as wrong:
// stricter than full precision, which ignores such extras); Coverage is the
// share of Labelled cases that got a value, right or wrong.
type ParamMetrics struct {
	Labelled  int      `json:"labelled"`
	Suggested int      `json:"suggested"`
	Correct   int      `json:"correct"`
	Precision *float64 `json:"precision"`
	Coverage  *float64 `json:"coverage"`
	covered   int
}

// ParamScores are one parameter's metrics over all scored cases and over
// those the policy automated.
type ParamScores struct {
	All  ParamMetrics `json:"all"`
	Auto ParamMetrics `json:"auto"`
}

// paramMetrics adds up the cases' parameter checks per name; nil when no
// case has a parameter on either side.
func paramMetrics(ls []Case) map[string]ParamScores {
	out := map[string]ParamScores{}
	for _, c := range ls {
		for _, pc := range c.Params {
			s := out[pc.Name]
			s.All.add(pc)
			if c.Auto {
				s.Auto.add(pc)
			}
			out[pc.Name] = s
		}
	}
	for name, s := range out {
		s.All.finish()
		s.Auto.finish()
		out[name] = s
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func (m *ParamMetrics) add(pc ParamCheck) {
	if pc.Label != nil {
		m.Labelled++
		m.covered += b2i(pc.Suggested != nil)
	}
	if pc.Suggested != nil {
		m.Suggested++
		m.Correct += b2i(pc.Correct)
	}
}

func (m *ParamMetrics) finish() {
	m.Precision = ratio(m.Correct, m.Suggested)
	m.Coverage = ratio(m.covered, m.Labelled)
}

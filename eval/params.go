package eval

import (
	"sort"
	"strings"

	"github.com/billtriage/billtriage/triage"
)

// CorrectionsParam is the parameter that carries a resolution's field
// corrections; it is compared as a set, not as a list.
const CorrectionsParam = "corrections"

// ParamCheck is one parameter of one case: the label's value (nil when the
// label does not state it), the suggested one (nil when the suggestion
// gave none) and whether they are equal by ParamEqual.
//
// The suggested parameters are what accepting the suggestion would record:
// the decision's parameters and, as "corrections", the field corrections
// enrichment applied. Source is where the decision says the suggested
// value came from ("enrichment" for corrections; "" when none suggested).
type ParamCheck struct {
	Name      string `json:"name"`
	Label     any    `json:"label,omitempty"`
	Suggested any    `json:"suggested,omitempty"`
	Source    string `json:"source,omitempty"`
	Correct   bool   `json:"correct"`
}

// sourceEnrichment is the source of the corrections parameter.
const sourceEnrichment = "enrichment"

// caseParams compares the label's parameters with the suggested ones, by
// name. A corrections field whose label was later reversed is left out on
// both sides, as the enrichment metrics do: the label is known to be wrong
// there; so is a parameter stating the reversed target.
func caseParams(label map[string]any, d *triage.Decision) []ParamCheck {
	var suggested map[string]any
	var sources map[string]triage.SuggestedParam
	var applied []triage.AppliedCorrection
	if d != nil {
		suggested, sources = d.Params, d.ParamSources
		applied = appliedOf(d.Enrichments)
	}
	wrong := reversedTargets(label)
	names := map[string]bool{}
	for k, v := range label {
		if v != nil && !wrong[valueKey(v)] {
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
				pc.Suggested, pc.Source = sugCs, sourceEnrichment
			}
			pc.Correct = len(labelCs) > 0 && correctionSetsEqual(labelCs, sugCs)
		} else {
			pc.Label, pc.Suggested = label[name], suggested[name]
			if pc.Label != nil && wrong[valueKey(pc.Label)] {
				pc.Label = nil // known wrong: see reversedTargets
			}
			if pc.Suggested != nil {
				pc.Source = string(sources[name].Source)
			}
			pc.Correct = pc.Label != nil && triage.SameValue(pc.Label, pc.Suggested)
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
	// BySource splits Suggested and Correct by where the value came from.
	BySource map[string]*SourceMetrics `json:"by_source,omitempty"`
	covered  int
}

// SourceMetrics are one source's suggested values of a parameter and how
// many were right.
type SourceMetrics struct {
	Suggested int      `json:"suggested"`
	Correct   int      `json:"correct"`
	Precision *float64 `json:"precision"`
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
		if m.BySource == nil {
			m.BySource = map[string]*SourceMetrics{}
		}
		src := m.BySource[pc.Source]
		if src == nil {
			src = &SourceMetrics{}
			m.BySource[pc.Source] = src
		}
		src.Suggested++
		src.Correct += b2i(pc.Correct)
	}
}

func (m *ParamMetrics) finish() {
	m.Precision = ratio(m.Correct, m.Suggested)
	m.Coverage = ratio(m.covered, m.Labelled)
	for _, src := range m.BySource {
		src.Precision = ratio(src.Correct, src.Suggested)
	}
}

// reversedTargets are the targets of the label's corrections that were
// later reversed: the person's mapping was wrong, and a parameter stating
// the same value (the customer the key was mapped to) is wrong with it, so
// it is left out of the comparison like the correction itself.
func reversedTargets(label map[string]any) map[string]bool {
	cs, _ := triage.CorrectionsFromParams(label)
	out := map[string]bool{}
	for _, c := range cs {
		if c.ReversedAt != nil && c.To != "" {
			out[c.To] = true
		}
	}
	return out
}

// valueKey is a scalar parameter value as reversedTargets keys it.
func valueKey(v any) string {
	s, _ := v.(string)
	return s
}

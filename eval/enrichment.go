package eval

import (
	"sort"

	"github.com/billtriage/billtriage/triage"
)

// FieldCorrection is one field of one case: the label's corrected value
// (empty when the label corrected nothing there) and the value enrichment
// applied automatically (empty when it applied none).
type FieldCorrection struct {
	Field   string `json:"field"`
	Label   string `json:"label,omitempty"`
	Applied string `json:"applied,omitempty"`
}

// EnrichmentMetrics measures automatic corrections of one field. A
// correction counts as right only when the applied value equals the
// label's; a field whose label was later found wrong (reversed_at) is left
// out of that case, applied or not. Coverage
// is the share of labelled corrections that got an automatic value,
// precision the share of automatic values that were right (a value applied
// where the label corrected nothing counts as wrong).
type EnrichmentMetrics struct {
	Labelled  int `json:"labelled"`
	Applied   int `json:"applied"`
	covered   int
	Correct   int      `json:"correct"`
	Coverage  float64  `json:"coverage"`
	Precision *float64 `json:"precision"`
}

// caseCorrections pairs the label's corrections with the applied ones.
func caseCorrections(params map[string]any, d *triage.Decision) []FieldCorrection {
	byField := map[string]*FieldCorrection{}
	get := func(f string) *FieldCorrection {
		if byField[f] == nil {
			byField[f] = &FieldCorrection{Field: f}
		}
		return byField[f]
	}
	// A label whose correction was later reversed is known to be wrong:
	// the field is left out of the case altogether, whatever was applied.
	labels, _ := triage.CorrectionsFromParams(params)
	skip := map[string]bool{}
	for _, c := range labels {
		if c.ReversedAt != nil {
			skip[c.Field] = true
		} else {
			get(c.Field).Label = c.To
		}
	}
	if d != nil {
		for _, e := range d.Enrichments {
			if e.Applied != nil {
				get(e.Field).Applied = e.Applied.After
			}
		}
	}
	out := make([]FieldCorrection, 0, len(byField))
	for f, fc := range byField {
		if !skip[f] {
			out = append(out, *fc)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

// enrichmentMetrics adds up the cases' corrections per field. An applied
// value where the label corrected nothing counts as wrong.
func enrichmentMetrics(cases []Case) map[string]EnrichmentMetrics {
	out := map[string]EnrichmentMetrics{}
	for _, c := range cases {
		for _, fc := range c.Corrections {
			m := out[fc.Field]
			if fc.Label != "" {
				m.Labelled++
			}
			if fc.Applied != "" && fc.Label != "" {
				m.covered++
			}
			if fc.Applied != "" {
				m.Applied++
				if fc.Applied == fc.Label {
					m.Correct++
				}
			}
			out[fc.Field] = m
		}
	}
	for f, m := range out {
		if m.Labelled > 0 {
			m.Coverage = round6(float64(m.covered) / float64(m.Labelled))
		}
		if m.Applied > 0 {
			p := round6(float64(m.Correct) / float64(m.Applied))
			m.Precision = &p
		}
		out[f] = m
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

package api

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/billtriage/billtriage/triage"
)

// paramRow is one suggested parameter as the suggestion panel shows it:
// its value and, in words, where the value came from, so a reviewer can
// judge each one instead of trusting the whole suggestion.
type paramRow struct {
	Name, Value string
	// Source says where the value came from, in words; Place is the
	// learned place behind it when the words do not name it already.
	Source, Place string
	// Known is false for a parameter without provenance: a decision made
	// before sources were recorded.
	Known      bool
	Confidence float64
	Evidence   int
	Required   bool
	// TextSays is the different value the case's text states; the page
	// highlights the row so the reviewer checks it.
	TextSays string
}

// paramRows lists a suggestion's parameters by name with their sources.
// A parameter in params without a source (a decision stored before
// provenance was kept) is still listed, marked as such, so nothing the
// accept button would record is hidden.
func paramRows(params map[string]any, sources map[string]triage.SuggestedParam) []paramRow {
	names := map[string]bool{}
	for k := range params {
		names[k] = true
	}
	for k := range sources {
		names[k] = true
	}
	rows := make([]paramRow, 0, len(names))
	for _, name := range slices.Sorted(maps.Keys(names)) {
		sp, ok := sources[name]
		if !ok {
			rows = append(rows, paramRow{Name: name, Value: value(params[name]), Source: "not recorded (decided before sources were kept)"})
			continue
		}
		words, place := sourceWords(sp)
		rows = append(rows, paramRow{Name: name, Value: value(sp.Value), Source: words, Place: place, Known: true,
			Confidence: sp.Confidence, Evidence: sp.Evidence, Required: sp.Required, TextSays: sp.TextSays})
	}
	return rows
}

// sourceWords says where a parameter's value came from, and the learned
// place when the words leave it out. A mapping states the evidence behind
// it, since its confidence is the corrections memory's, not the case's.
func sourceWords(sp triage.SuggestedParam) (words, place string) {
	switch sp.Source {
	case triage.SourceCase:
		return fmt.Sprintf("from the case (%s)", sp.From), ""
	case triage.SourceText:
		return "read from the text", ""
	case triage.SourceMapping:
		return fmt.Sprintf("mapping (%s, confidence %s)", cases(sp.Evidence), conf(sp.Confidence)), sp.From
	case triage.SourcePrecedent:
		// Learning keeps a constant only when nearly every precedent of
		// the action recorded it, so "every" would overstate it.
		return "same in nearly every precedent", ""
	case triage.SourcePolicy:
		return "set by the policy (param_defaults)", ""
	}
	return string(sp.Source), sp.From
}

// cases formats a count of resolved cases.
func cases(n int) string {
	if n == 1 {
		return "1 case"
	}
	return count(n) + " cases"
}

// paramField is one stored parameter as a person reads it: a name and a
// value, or one field correction the resolution made.
type paramField struct {
	Name, Value string
	Correction  *triage.Correction
}

// paramFields lists stored parameters (a precedent's, a resolution's) as
// fields, never as JSON: corrections one by one, a nested object by
// dotted names, a list of plain values joined. Names are sorted.
func paramFields(params map[string]any) []paramField {
	var out []paramField
	for _, k := range slices.Sorted(maps.Keys(params)) {
		if k == triage.CorrectionsParam {
			if cs, err := triage.CorrectionsFromParams(params); err == nil {
				for i := range cs {
					out = append(out, paramField{Name: k, Correction: &cs[i]})
				}
				continue
			}
		}
		out = appendField(out, k, params[k])
	}
	return out
}

func appendField(out []paramField, name string, v any) []paramField {
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 0 {
			return append(out, paramField{Name: name, Value: "—"})
		}
		for _, k := range slices.Sorted(maps.Keys(x)) {
			out = appendField(out, name+"."+k, x[k])
		}
		return out
	case []any:
		plain := make([]string, 0, len(x))
		for _, item := range x {
			switch item.(type) {
			case map[string]any, []any:
				for i, item := range x {
					out = appendField(out, fmt.Sprintf("%s[%d]", name, i), item)
				}
				return out
			}
			plain = append(plain, value(item))
		}
		if len(plain) == 0 {
			return append(out, paramField{Name: name, Value: "—"})
		}
		return append(out, paramField{Name: name, Value: strings.Join(plain, ", ")})
	}
	return append(out, paramField{Name: name, Value: value(v)})
}

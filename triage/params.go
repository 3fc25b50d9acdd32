package triage

import (
	"fmt"
	"sort"
)

// ParamSource says where a suggested parameter's value came from.
type ParamSource string

// Parameter sources, from the most direct to the least.
const (
	// SourceCase is a field or attribute of the exception itself.
	SourceCase ParamSource = "case"
	// SourceText is a value read from the exception's text by an extractor
	// learned from the history.
	SourceText ParamSource = "text"
	// SourceMapping is the corrections memory: the value enrichment maps
	// the case's identifier to.
	SourceMapping ParamSource = "mapping"
	// SourcePrecedent is a value nearly every precedent of the action
	// recorded, whatever the case (a standard reason code).
	SourcePrecedent ParamSource = "precedent"
	// SourcePolicy is a value the policy sets for the action
	// (param_defaults), used only where the case states none.
	SourcePolicy ParamSource = "policy"
)

// SuggestedParam is one parameter of a suggestion with its provenance.
type SuggestedParam struct {
	Value  any         `json:"value"`
	Source ParamSource `json:"source"`
	// From names the place: a field ("amount"), an attribute
	// ("attributes.entity"), a correction field ("corrections.gl_account"),
	// the text, or the precedents.
	From string `json:"from"`
	// Confidence is how often this source gave the value people then
	// recorded, over the action's history (a mapping's own confidence
	// for a mapping).
	Confidence float64 `json:"confidence"`
	// Evidence is how many resolved cases that confidence rests on.
	Evidence int  `json:"evidence"`
	Required bool `json:"required"`
	// TextSays is the different value the case's text states, when it
	// disagrees: a reviewer must look.
	TextSays string `json:"text_says,omitempty"`
}

// ParamExample is one resolved case of an action as parameter learning
// reads it: its text, its facts and the parameters a person recorded.
type ParamExample struct {
	Text   string
	Facts  Facts
	Params map[string]any
}

// ParamConfig bounds what parameter learning trusts.
type ParamConfig struct {
	// MinSupport is the fewest cases a source must have been right on
	// before it is used.
	MinSupport int
	// MinPrecision is the share of cases a source must have been right on,
	// when it gave a value, to be used at all.
	MinPrecision float64
	// RequiredShare is the share of an action's resolutions that must state
	// a parameter for it to be required.
	RequiredShare float64
	// History is how many of an action's most recent resolutions are
	// learned from.
	History int
}

// DefaultParams is the service's parameter learning configuration.
var DefaultParams = ParamConfig{MinSupport: 5, MinPrecision: 0.9, RequiredShare: 0.8, History: 400}

// ParamSchema is what an action's history teaches about its parameters:
// which it needs and where each one's value is found.
type ParamSchema struct {
	Action string
	// Cases is the number of resolutions learned from.
	Cases int
	// Params are the parameters the history states, by name.
	Params []ParamRule
}

// ParamRule is one parameter of an action.
type ParamRule struct {
	Name string
	// Stated is how many of the schema's cases recorded the parameter.
	Stated   int
	Required bool
	// Sources are the places that gave the right value often enough, the
	// most precise first; the first that has a value for a case is used.
	Sources []sourceRule
	// text reads the parameter from text, when learnable; it also checks
	// a value from elsewhere against what the text says.
	text *textExtractor
}

// sourceRule is one learned place of a parameter with its record.
type sourceRule struct {
	source ParamSource
	from   string
	// right of tried: how often the place had a value, and how often that
	// value was the one recorded.
	right, tried int
	// value is a precedent's constant.
	value any
	text  *textExtractor
}

// confidence is the Laplace-smoothed precision of the place.
func (r sourceRule) confidence() float64 { return float64(r.right+1) / float64(r.tried+2) }

// LearnParams learns an action's parameter schema from its resolved cases.
// Nothing in it knows any action's or parameter's name: a place qualifies
// by having given the value people recorded.
func LearnParams(action string, exs []ParamExample, cfg ParamConfig) *ParamSchema {
	ps := &ParamSchema{Action: action, Cases: len(exs)}
	stated := map[string][]ParamExample{}
	for _, ex := range exs {
		for name, v := range ex.Params {
			if name != CorrectionsParam && valueString(v) != "" {
				stated[name] = append(stated[name], ex)
			}
		}
	}
	for _, name := range sortedKeys(stated) {
		cases := stated[name]
		rule := ParamRule{Name: name, Stated: len(cases)}
		rule.Required = len(exs) >= cfg.MinSupport && float64(len(cases)) >= cfg.RequiredShare*float64(len(exs))
		rule.text = learnTextExtractor(name, cases)
		rule.Sources = learnSources(name, cases, rule.text, cfg)
		ps.Params = append(ps.Params, rule)
	}
	return ps
}

// CorrectionsParam is the parameter that carries a resolution's field
// corrections; enrichment owns it, so parameter learning leaves it alone.
const CorrectionsParam = "corrections"

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// learnSources scores every candidate place of a parameter on the cases
// that stated it and keeps those precise enough, best first.
func learnSources(name string, cases []ParamExample, text *textExtractor, cfg ParamConfig) []sourceRule {
	var cands []sourceRule
	places := map[string]*sourceRule{}
	values := map[string]int{}
	firstOf := map[string]any{}
	for _, ex := range cases {
		want := ex.Params[name]
		for place, v := range ex.Facts.Places() {
			r := places[place]
			if r == nil {
				r = &sourceRule{source: SourceCase, from: place}
				places[place] = r
			}
			r.tried++
			if SameValue(want, v) {
				r.right++
			}
		}
		for _, c := range correctionsOf(ex.Params) {
			place := "corrections." + c.Field
			r := places[place]
			if r == nil {
				r = &sourceRule{source: SourceMapping, from: place}
				places[place] = r
			}
			r.tried++
			if SameValue(want, c.To) {
				r.right++
			}
		}
		s := valueString(want)
		if _, ok := firstOf[s]; !ok {
			firstOf[s] = want
		}
		values[s]++
	}
	for _, p := range sortedKeys(places) {
		cands = append(cands, *places[p])
	}
	if text != nil {
		cands = append(cands, sourceRule{source: SourceText, from: "text", text: text, right: text.right, tried: text.tried})
	}
	if top, n := mostCommon(values); n > 0 {
		cands = append(cands, sourceRule{source: SourcePrecedent, from: "precedents", right: n, tried: len(cases), value: firstOf[top]})
	}
	var out []sourceRule
	for _, c := range cands {
		if c.right >= cfg.MinSupport && float64(c.right) >= cfg.MinPrecision*float64(c.tried) {
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if ci, cj := out[i].confidence(), out[j].confidence(); ci != cj {
			return ci > cj
		}
		return out[i].tried > out[j].tried
	})
	return out
}

// correctionsOf reads a parameter map's corrections, ignoring malformed
// ones (the resolution was validated when it was recorded).
func correctionsOf(params map[string]any) []Correction {
	cs, _ := CorrectionsFromParams(params)
	return cs
}

func mostCommon(counts map[string]int) (string, int) {
	best, n := "", 0
	for _, k := range sortedKeys(counts) {
		if counts[k] > n {
			best, n = k, counts[k]
		}
	}
	return best, n
}

// Resolve finds each parameter's value for ex from the learned places, in
// order. mapped holds the values enrichment found, by "corrections.FIELD",
// with their confidence; defaults are the policy's values for the action,
// used for a parameter no learned place has a value for. It returns the
// parameters with provenance and what needs a person, in words: required parameters with no trustworthy
// value, and values the text contradicts.
//
// It also returns the chance that the missing parameters do not spoil the
// suggestion: for each required parameter left without a value, the share
// of the action's resolutions that did without it (smoothed), so that the
// whole suggestion's confidence stays a probability of being right in
// every parameter.
func (ps *ParamSchema) Resolve(ex *Exception, mapped map[string]SuggestedParam, defaults map[string]any) (map[string]SuggestedParam, []string, float64) {
	out := map[string]SuggestedParam{}
	var needs []string
	places := ex.Facts().Places()
	spared := 1.0
	for _, rule := range ps.Params {
		sp, ok := rule.resolve(ex.Text, places, mapped)
		if !ok {
			if v, set := defaults[rule.Name]; set {
				out[rule.Name] = policyParam(v, rule.Required)
				continue
			}
			if rule.Required {
				spared *= float64(ps.Cases-rule.Stated+1) / float64(ps.Cases+2)
				needs = append(needs, fmt.Sprintf("parameter %s of %s has no trustworthy source in this case (stated in %d of %d resolutions; %s)",
					rule.Name, ps.Action, rule.Stated, ps.Cases, rule.tried()))
			}
			continue
		}
		sp.Required = rule.Required
		if sp.Source != SourceText && rule.text != nil && rule.text.trusted() {
			if said, ok := rule.text.extract(ex.Text); ok && !SameValue(sp.Value, said) {
				sp.TextSays = said
				needs = append(needs, fmt.Sprintf("parameter %s: %s says %s but the text says %s", rule.Name, sp.From, valueString(sp.Value), said))
			}
		}
		out[rule.Name] = sp
	}
	// A default for a parameter the history never stated is the policy's
	// to add.
	for _, name := range sortedKeys(defaults) {
		if _, ok := out[name]; !ok && !ps.knows(name) {
			out[name] = policyParam(defaults[name], false)
		}
	}
	return out, needs, spared
}

// policyParam is a value the policy sets: the policy is the authority on
// it, so it carries no doubt of its own.
func policyParam(v any, required bool) SuggestedParam {
	return SuggestedParam{Value: v, Source: SourcePolicy, From: "policy param_defaults", Confidence: 1, Required: required}
}

// knows says whether the schema learned the parameter name.
func (ps *ParamSchema) knows(name string) bool {
	for _, r := range ps.Params {
		if r.Name == name {
			return true
		}
	}
	return false
}

// resolve takes the value of the first learned place that has one.
func (r ParamRule) resolve(text string, places map[string]any, mapped map[string]SuggestedParam) (SuggestedParam, bool) {
	for _, src := range r.Sources {
		sp := SuggestedParam{Source: src.source, From: src.from, Confidence: src.confidence(), Evidence: src.tried}
		switch src.source {
		case SourceCase:
			v, ok := places[src.from]
			if !ok {
				continue
			}
			sp.Value = v
		case SourceMapping:
			m, ok := mapped[src.from]
			if !ok {
				continue
			}
			// The mapping's own evidence decided, by the enrichment
			// policy, whether it was applied (an unapplied one holds the
			// item anyway); what is left to doubt is whether this
			// parameter is that mapping's value, which sp.Confidence says.
			sp.Value, sp.Evidence = m.Value, m.Evidence
		case SourceText:
			v, ok := src.text.extract(text)
			if !ok {
				continue
			}
			sp.Value = src.text.typed(v)
		case SourcePrecedent:
			sp.Value = src.value
		}
		return sp, true
	}
	return SuggestedParam{}, false
}

// tried says in words which places were learned, for the reason a person
// reads.
func (r ParamRule) tried() string {
	if len(r.Sources) == 0 {
		return "no field, attribute, mapping or text pattern gave its value reliably"
	}
	s := "looked in "
	for i, src := range r.Sources {
		if i > 0 {
			s += ", "
		}
		s += src.from
	}
	return s
}

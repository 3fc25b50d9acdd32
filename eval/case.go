package eval

import (
	"math"
	"slices"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// Case is one replayed test record: its label and what the service did.
type Case struct {
	Line     int
	ID       string
	Type     string
	Labelled bool
	// Label is the record's resolution (empty when not Labelled).
	LabelRootCause, LabelAction, LabelQueue string

	RootCause, Action string
	// Actions holds the suggested action and those of the top-3
	// alternative (root cause, action) pairs.
	Actions       []string
	Confidence    float64
	TopSimilarity float64
	Auto          bool
	Queue         string
	// Reasons are the decision's reasons in words; Informativeness is the
	// decision's (nil when not measured).
	Reasons         []string
	Informativeness *float64
	// Eligible is true when the policy would have automated the case had
	// the confidence been high enough (see eligible). Floor is the action
	// threshold that applies whatever the type threshold is (0 when none).
	Eligible bool
	Floor    float64
	// Threshold is the confidence the policy in force asked for.
	Threshold float64
	// Corrections pairs the label's field corrections with those applied.
	Corrections []FieldCorrection
	// Params compares each parameter the label or the suggestion states
	// (see caseParams).
	Params []ParamCheck
	// Model is the decision's model version.
	Model   string
	Latency time.Duration
}

// RootCauseCorrect reports whether the suggested root cause is the label's.
func (c Case) RootCauseCorrect() bool { return c.RootCause == c.LabelRootCause }

// ActionCorrect reports whether the suggested action is the label's.
func (c Case) ActionCorrect() bool { return c.Action == c.LabelAction }

// Correct reports whether both root cause and action are the label's: the
// classification the thresholds are searched on, and what decides whether
// the replay resolves a case as the suggestion (accept, or edit to the
// label's parameters) or as the label's own root cause and action.
func (c Case) Correct() bool { return c.RootCauseCorrect() && c.ActionCorrect() }

// ParamsCorrect reports whether every parameter the label states has an
// equal suggested value. Parameters only the suggestion has are ignored:
// the label is silent on them, so they cannot be judged.
func (c Case) ParamsCorrect() bool {
	for _, p := range c.Params {
		if p.Label != nil && !p.Correct {
			return false
		}
	}
	return true
}

// FullyCorrect is what an automatic enrichment must get right to apply
// what the person would have: root cause, action and every parameter the
// label states.
func (c Case) FullyCorrect() bool { return c.Correct() && c.ParamsCorrect() }

// eligible asks the policy itself whether it would have automated the
// case with a confidence above any threshold, so every rule other than the
// threshold (human-only actions, amount and risk limits, the similarity
// gate, and any rule added later) applies exactly as in the service, with
// the holds the service passed to the policy (the decision records them).
func eligible(ex triage.Exception, d *triage.Decision, p *triage.Policy) bool {
	probe := d.Suggestion
	probe.Confidence = math.Inf(1)
	return p.Decide(&ex, probe, d.Risk, d.Holds).Outcome == triage.OutcomeAuto
}

// Reconstructed reports whether the harness's reading of the policy
// (Eligible and Threshold) gives the outcome the service decided. A
// mismatch means the policy grew a rule the threshold search does not know.
func (c Case) Reconstructed() bool {
	return c.Auto == (c.Eligible && c.Confidence >= c.Threshold)
}

// ActionInTop3 reports whether the label's action is the suggested one or
// that of one of the top-3 alternatives.
func (c Case) ActionInTop3() bool { return slices.Contains(c.Actions, c.LabelAction) }

// newCase records the decision d for item it under policy p.
func newCase(it Item, d *triage.Decision, p *triage.Policy, latency time.Duration) Case {
	rec := it.Record
	c := Case{Line: it.Line, ID: rec.ID, Type: rec.Type, Labelled: it.Labelled(), Latency: latency}
	if c.Labelled {
		c.LabelRootCause, c.LabelAction, c.LabelQueue = rec.Resolution.RootCause, rec.Resolution.Action, rec.Resolution.Queue
	}
	if c.Labelled {
		c.Corrections = caseCorrections(rec.Resolution.Params, d)
		c.Params = caseParams(rec.Resolution.Params, d)
	}
	if d == nil {
		return c
	}
	c.RootCause, c.Action, c.Confidence, c.TopSimilarity = d.RootCause, d.Action, d.Confidence, d.TopSimilarity
	c.Auto, c.Queue, c.Model, c.Reasons = d.Outcome == triage.OutcomeAuto, string(d.AssignedQueue), d.ModelVersion, d.Reasons
	c.Informativeness = d.Informativeness
	c.Actions = append(c.Actions, d.Action)
	for _, a := range d.Alternatives {
		c.Actions = append(c.Actions, a.Action)
	}
	c.Eligible = eligible(rec.Exception(), d, p)
	// The stricter of the type and action thresholds applies, so an
	// action threshold bounds any type threshold a team might choose.
	c.Floor = p.ActionThresholds[d.Action]
	c.Threshold = p.Threshold(triage.Type(rec.Type), d.Action)
	return c
}

package models

import (
	"fmt"
	"time"

	"github.com/billtriage/billtriage/features"
	"github.com/billtriage/billtriage/triage"
)

// TopFacts is how many contributions a Risk keeps for a decision.
const TopFacts = 3

// Risk is what a triage decision records about an invoice's collection
// risk.
type Risk struct {
	// Probability that the invoice is paid more than LateDays days late
	// or not at all.
	Probability  float64 `json:"probability"`
	ModelVersion string  `json:"model_version"`
	// Known is true when the outcome is already certain at scoring time
	// (paid, or unpaid past the limit); Probability is then 0 or 1.
	Known bool           `json:"known,omitempty"`
	Top   []Contribution `json:"top"`
}

// Score rates inv as seen at at: the customer's history is every invoice
// of history in its state at at (see package features), openExceptions the
// customer's open exceptions then. The model learned risk as seen at issue
// dates; an invoice whose outcome is already certain at at gets that
// outcome rather than a guess.
func (m *Model) Score(inv triage.Invoice, history []triage.Invoice, openExceptions int, at time.Time) Risk {
	if late, known := features.Label(inv, m.w.LateDays, at); known {
		return Risk{Probability: target(late), ModelVersion: m.w.Version, Known: true,
			Top: []Contribution{m.knownFact(inv, late, at)}}
	}
	p, facts := m.Predict(features.Build(inv, history, openExceptions, at, m.Options()))
	return Risk{Probability: p, ModelVersion: m.w.Version, Top: facts[:min(TopFacts, len(facts))]}
}

func (m *Model) knownFact(inv triage.Invoice, late bool, at time.Time) Contribution {
	c := Contribution{Feature: "outcome", Effect: 1}
	switch {
	case !late:
		c.Effect, c.Words = -1, "the invoice is already paid on time"
	case inv.PaidAt != nil && !inv.PaidAt.After(at):
		c.Words = fmt.Sprintf("the invoice was paid more than %d days past due", m.w.LateDays)
	default:
		c.Words = fmt.Sprintf("the invoice is unpaid more than %d days past due", m.w.LateDays)
	}
	return c
}

// Reasons puts the risk into the sentences a decision shows.
func (r Risk) Reasons() []string {
	out := []string{fmt.Sprintf("collection risk %.2f (model %s)", r.Probability, r.ModelVersion)}
	for _, c := range r.Top {
		out = append(out, c.Words)
	}
	return out
}

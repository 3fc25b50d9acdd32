package risk

import (
	"fmt"
	"time"

	"github.com/billtriage/billtriage/features"
	"github.com/billtriage/billtriage/triage"
)

// TopFacts is how many facts a risk keeps for a decision.
const TopFacts = 3

// Score rates inv as seen at at: the customer's history is every invoice
// of history in its state at at (see package features), openExceptions the
// customer's open exceptions then. The model learned risk as seen at issue
// dates; an invoice whose outcome is already certain at at gets that
// outcome rather than a guess.
func (m *Model) Score(inv triage.Invoice, history []triage.Invoice, openExceptions int, at time.Time) triage.Risk {
	if late, known := features.Label(inv, m.w.LateDays, at); known {
		return triage.Risk{Probability: target(late), ModelVersion: m.w.Version, Known: true,
			Factors: []triage.RiskFactor{m.knownFact(inv, late, at)}}
	}
	p, facts := m.Predict(features.Build(inv, history, openExceptions, at, m.Options()))
	return triage.Risk{Probability: p, ModelVersion: m.w.Version, Factors: facts[:min(TopFacts, len(facts))]}
}

func (m *Model) knownFact(inv triage.Invoice, late bool, at time.Time) triage.RiskFactor {
	c := triage.RiskFactor{Feature: "outcome", Effect: 1}
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

package api

import (
	"cmp"
	"math"
	"slices"

	"github.com/billtriage/billtriage/triage"
)

// riskView is the collection risk the pages show beside a case: the
// model's probability and its top factors in words, or "not scored".
type riskView struct {
	Scored      bool
	Probability float64
	Model       string
	// Known says the outcome was already certain when scored.
	Known   bool
	Factors []riskFactor
}

// riskFactor is one reason for the score and which way it pushes.
type riskFactor struct {
	Words  string
	Raises bool
}

// riskOfDecision returns the risk recorded with a decision; a decision
// without a score (no invoice, no active model) is "not scored".
func riskOfDecision(d *triage.Decision) riskView {
	if d == nil || d.Risk == nil {
		return riskView{}
	}
	v := riskView{Scored: true, Probability: d.Risk.Probability, Model: d.Risk.ModelVersion, Known: d.Risk.Known}
	// One statement, one direction: a decision scored before the model
	// merged same-words facts may list a statement twice, once raising
	// and once lowering the risk; its net effect is what it did.
	var merged []triage.RiskFactor
	at := map[string]int{}
	for _, f := range d.Risk.Factors {
		if i, ok := at[f.Words]; ok {
			merged[i].Effect += f.Effect
			continue
		}
		at[f.Words] = len(merged)
		merged = append(merged, f)
	}
	slices.SortStableFunc(merged, func(a, b triage.RiskFactor) int { return cmp.Compare(math.Abs(b.Effect), math.Abs(a.Effect)) })
	for _, f := range merged {
		if f.Effect != 0 {
			v.Factors = append(v.Factors, riskFactor{Words: f.Words, Raises: f.Effect > 0})
		}
	}
	return v
}

// riskOfItem returns the risk of a queued item's latest decision.
func riskOfItem(it triage.QueueItem) riskView {
	if it.Risk == nil {
		return riskView{}
	}
	return riskView{Scored: true, Probability: *it.Risk}
}

package triage

import "fmt"

// PolicyResult is the policy's verdict on one suggestion: the outcome, the queue that owns
// the exception and the reasons in words.
type PolicyResult struct {
	Outcome Outcome
	Queue   Queue
	Reasons []string
	// Why tags each check that held the item (empty when automatic), for
	// the queue list.
	Why []Why
}

// Decide applies the policy to a suggestion for ex. Every check that
// applies adds a reason, so a reviewer can see exactly why an item was or
// was not automated. holds are reasons found elsewhere (enrichment) that
// need a person.
func (p *Policy) Decide(ex *Exception, s Suggestion, risk *Risk, holds []string) PolicyResult {
	r := PolicyResult{Outcome: OutcomeAuto, Queue: p.queueFor(ex, s)}
	block := func(why Why, format string, args ...any) {
		r.Outcome = OutcomeQueue
		r.Reasons = append(r.Reasons, fmt.Sprintf(format, args...))
		r.Why = append(r.Why, why)
	}
	if s.RootCause == "" {
		block(WhyNoPrecedent, "no precedent in the history for this type")
		return r
	}
	th := p.Threshold(ex.Type, s.Action)
	if s.Confidence >= th {
		r.Reasons = append(r.Reasons, fmt.Sprintf("confidence %.3f meets the %s threshold %.2f", s.Confidence, ex.Type, th))
	} else {
		block(WhyBelowThreshold, "confidence %.3f is below the threshold %.2f for %s / %s", s.Confidence, th, ex.Type, s.Action)
	}
	if min := p.Informative(); s.Informativeness != nil && *s.Informativeness < min {
		block(WhyVagueText, "the text says little about the cause: informativeness %.2f is below %.2f (%s)", *s.Informativeness, min, s.InformativeWords)
	}
	if s.TopSimilarity < p.MinSimilarity {
		block(WhyWeakPrecedent, "nearest precedent similarity %.3f is below %.2f", s.TopSimilarity, p.MinSimilarity)
	}
	if p.HumanOnly(s.Action) {
		block(WhyMoneyMoving, "action %s moves money and always needs a person", s.Action)
	} else if !p.Automatable(ex.Type, s.Action) {
		// Default-deny: a name the policy does not list is held whatever
		// it is called, so a taxonomy that names a money-moving action
		// differently cannot slip past the human-only list. A human-only
		// action is not listed either; its reason above says more.
		block(WhyNotAutomatable, "action %s is not automatable for type %s under policy %s; add it to automatable_actions to allow it",
			s.Action, ex.Type, p.version)
	}
	if risk != nil && p.MaxAutoRisk > 0 && risk.Probability > p.MaxAutoRisk {
		block(WhyRisk, "collection risk %.2f is above %.2f (%s)", risk.Probability, p.MaxAutoRisk, topFactor(risk))
	}
	for _, h := range holds {
		// The service tags its holds itself (see Service.Triage), as only
		// it knows which check found each; here they only hold.
		r.Outcome = OutcomeQueue
		r.Reasons = append(r.Reasons, h)
	}
	if usd := p.AmountUSD(ex); p.MaxAutoAmount > 0 && usd > p.MaxAutoAmount {
		block(WhyAmountLimit, "amount %.2f USD is above the automatic limit %.2f", usd, p.MaxAutoAmount)
	}
	if r.Outcome == OutcomeAuto {
		r.Reasons = append(r.Reasons, fmt.Sprintf("%s / %s applied automatically", s.RootCause, s.Action))
	} else {
		r.Reasons = append(r.Reasons, fmt.Sprintf("sent to the %s queue", r.Queue))
	}
	return r
}

func topFactor(r *Risk) string {
	if len(r.Factors) == 0 {
		return "model " + r.ModelVersion
	}
	return r.Factors[0].Words
}

// queueFor picks the owning queue: the policy's rule for the root cause,
// else the queue the precedents were resolved in, else the type's default.
func (p *Policy) queueFor(ex *Exception, s Suggestion) Queue {
	if q, ok := p.RootCauseQueues[s.RootCause]; ok {
		return q
	}
	if s.Queue.Valid() {
		return s.Queue
	}
	return p.DefaultQueues[ex.Type]
}

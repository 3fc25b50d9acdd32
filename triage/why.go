package triage

// Why is a short tag for one reason an exception waits for a person: what a
// queue row shows so that nobody has to open an item to learn why a 0.99
// suggestion was held. The tags are recorded with each decision from the
// checks themselves (Policy.Decide and the service's holds), not parsed
// back out of the reasons' sentences, so rewording a reason cannot change
// them.
type Why string

// The reasons an item is queued, in the order a queue row prefers them:
// the first ones are rules no confidence can lift, so they say the most.
const (
	WhyMoneyMoving    Why = "money-moving"
	WhyAmountLimit    Why = "amount limit"
	WhyRisk           Why = "risk"
	WhyNotAutomatable Why = "not automatable"
	// WhyPaused is the automatic brake: automation of the type is paused
	// until an admin resumes it.
	WhyPaused         Why = "automation paused"
	WhyParamMissing   Why = "parameter missing"
	WhyEnrichmentHeld Why = "enrichment held"
	WhyNoPrecedent    Why = "no precedent"
	WhyWeakPrecedent  Why = "weak precedent"
	WhyVagueText      Why = "vague text"
	WhyBelowThreshold Why = "below threshold"
	// WhyReverted is an automatic enrichment a person undid: the decision
	// said auto, so none of its checks explains the wait.
	WhyReverted Why = "reverted"
)

// Whys lists every tag in preference order.
var Whys = []Why{WhyMoneyMoving, WhyAmountLimit, WhyRisk, WhyNotAutomatable, WhyPaused, WhyParamMissing,
	WhyEnrichmentHeld, WhyNoPrecedent, WhyWeakPrecedent, WhyVagueText, WhyBelowThreshold, WhyReverted}

// Valid reports whether w is a known tag.
func (w Why) Valid() bool { return whyRank(w) < len(Whys) }

func whyRank(w Why) int {
	for i, v := range Whys {
		if v == w {
			return i
		}
	}
	return len(Whys)
}

// QueuedBecause returns the tags that explain why an item whose latest
// decision had outcome and recorded tags why waits in a queue: the tags
// themselves, each once and most telling first, or "reverted" for an
// automatic decision a person undid. It is the one place a queue row's tag
// comes from, for the UI and the JSON API alike.
func QueuedBecause(outcome Outcome, why []Why) []Why {
	if outcome == OutcomeAuto {
		return []Why{WhyReverted}
	}
	return sortWhys(why)
}

// sortWhys returns the known tags of ws, each once, in preference order.
func sortWhys(ws []Why) []Why {
	out := []Why{}
	for _, v := range Whys {
		for _, w := range ws {
			if w == v {
				out = append(out, v)
				break
			}
		}
	}
	return out
}

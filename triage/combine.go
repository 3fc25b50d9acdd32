package triage

import "fmt"

// combine lets the classifier decide the root cause and action and keeps
// the precedents as the explanation: confidence is the classifier's
// calibrated probability of the pair, the queue comes from the closest
// precedent that agrees (parameters come from the case: see withParams), and the kNN vote stays in the suggestion's
// alternatives only when there is no classifier. It returns the note for
// the reasons when no close precedent agrees.
func combine(knn Suggestion, scores []ClassScore, ns []Neighbor) Suggestion {
	if len(scores) == 0 {
		return knn
	}
	rc, act := SplitPair(scores[0].Label)
	s := Suggestion{RootCause: rc, Action: act, Confidence: scores[0].P, TopSimilarity: knn.TopSimilarity}
	for _, sc := range scores {
		if r, _ := SplitPair(sc.Label); r == rc {
			s.RootCauseConfidence += sc.P
		}
	}
	if s.RootCauseConfidence > 0 {
		s.ActionConfidence = s.Confidence / s.RootCauseConfidence
	}
	for _, n := range ns {
		if n.RootCause == rc && n.Action == act {
			s.Queue, s.Agreeing = n.Queue, n.Similarity
			break
		}
	}
	for _, sc := range scores[:min(3, len(scores))] {
		r, a := SplitPair(sc.Label)
		s.Alternatives = append(s.Alternatives, Alternative{RootCause: r, Action: a, Score: sc.P})
	}
	return s
}

// agreementNote explains a suggestion no close precedent supports; the
// policy then asks for a person, so a reviewer always has a precedent to
// check an automatic decision against.
func agreementNote(s Suggestion, minSim float64) string {
	if s.RootCause == "" || s.Agreeing >= minSim {
		return ""
	}
	if s.Agreeing == 0 {
		return fmt.Sprintf("no precedent among the nearest agrees with %s / %s", s.RootCause, s.Action)
	}
	return fmt.Sprintf("the closest precedent agreeing with %s / %s has similarity %.3f, below %.2f", s.RootCause, s.Action, s.Agreeing, minSim)
}

package triage

import (
	"math"
	"sort"
)

// Matcher turns the nearest precedents into a suggestion by a
// similarity-weighted vote.
//
// Each neighbour votes with weight similarity^Exponent, so a close precedent
// outweighs several distant ones. Prior is a pseudo-weight for "none of
// these": it keeps confidence low when the precedents are few or far away,
// even if they all agree, which is what lets a confidence threshold mean
// "the history is clear about this one".
type Matcher struct {
	Exponent float64
	Prior    float64
}

// DefaultMatcher is the matcher the service uses unless configured.
var DefaultMatcher = Matcher{Exponent: 4, Prior: 0.5}

// MatcherVersion names the suggestion algorithm; decisions record it.
const MatcherVersion = "knn-vote-v1"

// Suggest returns the suggestion the neighbours support. With no
// neighbours the suggestion is empty with zero confidence.
func (m Matcher) Suggest(ns []Neighbor) Suggestion {
	if len(ns) == 0 {
		return Suggestion{}
	}
	total, byCause := m.vote(ns, func(n Neighbor) string { return n.RootCause })
	ranked := rank(byCause)
	best := ranked[0]
	s := Suggestion{RootCause: best.key, TopSimilarity: ns[0].Similarity}
	s.RootCauseConfidence = best.weight / (total + m.Prior)

	sameCause := filter(ns, func(n Neighbor) bool { return n.RootCause == best.key })
	actTotal, byAction := m.vote(sameCause, func(n Neighbor) string { return n.Action })
	act := rank(byAction)[0]
	s.Action = act.key
	if actTotal > 0 {
		s.ActionConfidence = act.weight / actTotal
	}
	s.Confidence = s.RootCauseConfidence * s.ActionConfidence

	// The queue comes from the closest precedent that agrees on both;
	// parameters never do, since they belong to that other case (see
	// Service.withParams).
	for _, n := range sameCause {
		if n.Action == act.key {
			s.Queue, s.Agreeing = n.Queue, n.Similarity
			break
		}
	}
	s.Alternatives = m.alternatives(ns, total)
	return s
}

func (m Matcher) weight(sim float64) float64 {
	if sim <= 0 {
		return 0
	}
	return math.Pow(sim, m.Exponent)
}

func (m Matcher) vote(ns []Neighbor, key func(Neighbor) string) (float64, map[string]float64) {
	total := 0.0
	votes := make(map[string]float64)
	for _, n := range ns {
		w := m.weight(n.Similarity)
		votes[key(n)] += w
		total += w
	}
	return total, votes
}

// alternatives ranks (root cause, action) pairs so a reviewer sees the
// runners-up with their share of the vote.
func (m Matcher) alternatives(ns []Neighbor, total float64) []Alternative {
	_, pairs := m.vote(ns, func(n Neighbor) string { return PairLabel(n.RootCause, n.Action) })
	var out []Alternative
	for _, p := range rank(pairs) {
		rc, act := SplitPair(p.key)
		out = append(out, Alternative{RootCause: rc, Action: act, Score: p.weight / (total + m.Prior)})
		if len(out) == 3 {
			break
		}
	}
	return out
}

type scored struct {
	key    string
	weight float64
}

// rank sorts by weight, then key, so ties resolve the same way every run.
func rank(votes map[string]float64) []scored {
	out := make([]scored, 0, len(votes))
	for k, w := range votes {
		out = append(out, scored{k, w})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].weight != out[j].weight {
			return out[i].weight > out[j].weight
		}
		return out[i].key < out[j].key
	})
	return out
}

func filter(ns []Neighbor, keep func(Neighbor) bool) []Neighbor {
	var out []Neighbor
	for _, n := range ns {
		if keep(n) {
			out = append(out, n)
		}
	}
	return out
}

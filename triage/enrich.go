package triage

import (
	"fmt"
	"math"
	"sort"
	"time"
)

// Candidate is a value enrichment could set, with the evidence for it.
type Candidate struct {
	Field string `json:"field"`
	Key   string `json:"key"`
	To    string `json:"to"`
	// Confidence is the lower bound of the Wilson interval on the decayed
	// share of evidence for To: a mapping seen 40 times and never reversed
	// scores far above one seen once. Fuzzy candidates score 0: they are
	// shown to a person, never applied.
	Confidence float64   `json:"confidence"`
	Seen       int       `json:"seen"`
	Reversals  int       `json:"reversals"`
	LastSeen   time.Time `json:"last_seen"`
	Source     string    `json:"source"`
	// Blocked says why the candidate may not be applied automatically.
	Blocked string `json:"blocked,omitempty"`
}

// AppliedCorrection is a correction enrichment made to an exception.
type AppliedCorrection struct {
	Field      string  `json:"field"`
	Key        string  `json:"key"`
	Before     string  `json:"before"`
	After      string  `json:"after"`
	Confidence float64 `json:"confidence"`
	Seen       int     `json:"seen"`
}

// Enrichment is what enrichment found for one identifier of an exception.
type Enrichment struct {
	Identifier
	Candidates []Candidate        `json:"candidates,omitempty"`
	Applied    *AppliedCorrection `json:"applied,omitempty"`
}

// Evidence weighting. Evidence decays with a half-life measured back from
// the newest evidence for the key, because customers migrate ids and
// re-map accounts: when a new mapping appears, older ones fade, but a
// mapping nobody has contradicted keeps its strength however old. A
// reversal counts as
// ReversalWeight contrary observations, and after one a mapping needs
// MinAfterReversal fresh confirmations before it is applied again.
type EnrichConfig struct {
	HalfLife         time.Duration
	ReversalWeight   float64
	MinAfterReversal int
	Z                float64 // of the Wilson bound; 1.96 is 95% two-sided
}

// DefaultEnrich is the evidence weighting the service uses. Z = 1.645
// makes Confidence a one-sided 95% lower bound.
var DefaultEnrich = EnrichConfig{HalfLife: 180 * 24 * time.Hour, ReversalWeight: 3, MinAfterReversal: 3, Z: 1.645}

// Prior is what the whole field's history says before a key's own
// evidence: identifiers are stable by nature, so a key seen three times
// with one target is more likely right than three coin flips suggest. It
// is fitted from how consistently repeated keys of the field mapped (see
// FieldPrior) and enters the bound as pseudo-counts.
type Prior struct {
	Alpha, Beta float64
}

// PriorStrength is how many observations the field prior is worth.
const PriorStrength = 10

// FieldPrior turns the field's consistency (agree of total sightings of
// repeated keys went to their key's usual target) into a prior.
func FieldPrior(agree, total float64) Prior {
	if total <= 0 {
		return Prior{}
	}
	p := agree / total
	return Prior{Alpha: PriorStrength * p, Beta: PriorStrength * (1 - p)}
}

// Rank scores the exact evidence for one key as known at time at (later
// evidence, and reversals not yet known then, do not count), best first.
func (c EnrichConfig) Rank(field, key string, ev []Evidence, at time.Time, prior Prior) []Candidate {
	type tally struct {
		conf, rev       float64
		seen, reversals int
		lastRev, last   time.Time
	}
	byTo := map[string]*tally{}
	total := 0.0
	ref := newest(ev, at)
	for _, e := range ev {
		if e.At.After(at) {
			continue
		}
		w := c.weight(ref.Sub(e.At))
		t := byTo[e.To]
		if t == nil {
			t = &tally{}
			byTo[e.To] = t
		}
		if e.ReversedAt != nil && !e.ReversedAt.After(at) {
			t.rev, t.reversals = t.rev+w, t.reversals+1
			if e.ReversedAt.After(t.lastRev) {
				t.lastRev = *e.ReversedAt
			}
			total += c.ReversalWeight * w
			continue
		}
		t.conf, t.seen = t.conf+w, t.seen+1
		if e.At.After(t.last) {
			t.last = e.At
		}
		total += w
	}
	out := make([]Candidate, 0, len(byTo))
	top := topTarget(byTo, func(t *tally) float64 { return t.conf })
	for to, t := range byTo {
		cand := Candidate{Field: field, Key: key, To: to, Seen: t.seen, Reversals: t.reversals, LastSeen: t.last, Source: "exact"}
		// The field prior vouches for a key's usual target only.
		alpha := 0.0
		if to == top {
			alpha = prior.Alpha
		}
		cand.Confidence = wilsonLower(t.conf+alpha, total+prior.Alpha+prior.Beta, c.Z)
		if t.reversals > 0 && countAfter(ev, to, t.lastRev, at) < c.MinAfterReversal {
			cand.Blocked = fmt.Sprintf("reversed %d time(s); needs %d confirmations since", t.reversals, c.MinAfterReversal)
		}
		out = append(out, cand)
	}
	sortCandidates(out)
	return out
}

func (c EnrichConfig) weight(age time.Duration) float64 {
	if c.HalfLife <= 0 || age <= 0 {
		return 1
	}
	return math.Exp2(-float64(age) / float64(c.HalfLife))
}

// topTarget is the target with the most weight, ties by name.
func topTarget[T any](m map[string]*T, weight func(*T) float64) string {
	best, bw := "", -1.0
	for k, v := range m {
		if w := weight(v); w > bw || (w == bw && k < best) {
			best, bw = k, w
		}
	}
	return best
}

// newest is the time of the latest evidence known at at.
func newest(ev []Evidence, at time.Time) time.Time {
	var t time.Time
	for _, e := range ev {
		if !e.At.After(at) && e.At.After(t) {
			t = e.At
		}
	}
	return t
}

// countAfter counts confirmations of to made after a reversal.
func countAfter(ev []Evidence, to string, after, at time.Time) int {
	n := 0
	for _, e := range ev {
		if e.To == to && e.At.After(after) && !e.At.After(at) && (e.ReversedAt == nil || e.ReversedAt.After(at)) {
			n++
		}
	}
	return n
}

// wilsonLower is the lower bound of the Wilson score interval for s
// successes in n (weighted) trials.
func wilsonLower(s, n, z float64) float64 {
	if n <= 0 {
		return 0
	}
	lo, _ := wilsonBounds(s, n, z)
	return lo
}

// wilsonBounds is the Wilson score interval for s successes in n > 0
// (weighted) trials at z standard errors.
func wilsonBounds(s, n, z float64) (lo, hi float64) {
	p := s / n
	z2 := z * z
	centre := p + z2/(2*n)
	margin := z * math.Sqrt(p*(1-p)/n+z2/(4*n*n))
	return math.Max(0, (centre-margin)/(1+z2/n)), math.Min(1, (centre+margin)/(1+z2/n))
}

func sortCandidates(cs []Candidate) {
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].Confidence != cs[j].Confidence {
			return cs[i].Confidence > cs[j].Confidence
		}
		if cs[i].Seen != cs[j].Seen {
			return cs[i].Seen > cs[j].Seen
		}
		return cs[i].To < cs[j].To
	})
}

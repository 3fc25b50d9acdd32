package triage

import (
	"math"
	"strings"
	"time"
)

// ReplayItem is a stored decision with what a policy needs to decide it
// again, and what people later said of the item.
type ReplayItem struct {
	Exception Exception
	Decision  Decision
	Judgement Judgement
}

// Judgement is what people later said of an item's suggestion, from its
// human resolution and any revert.
type Judgement struct {
	// Resolved is set when a person accepted, edited or rejected the item.
	Resolved bool `json:"resolved"`
	// RootCause and Action are the person's resolution (empty for a
	// rejection).
	RootCause string `json:"root_cause,omitempty"`
	Action    string `json:"action,omitempty"`
	Rejected  bool   `json:"rejected,omitempty"`
	// Reverted is set when a person undid the item's automatic enrichment.
	Reverted bool `json:"reverted,omitempty"`
}

// Judged reports whether people have said anything of the item yet.
func (v Judgement) Judged() bool { return v.Resolved || v.Reverted }

// Right reports whether applying s automatically would have done what
// people decided: a revert or a rejection says no, a resolution says yes
// when its root cause and action are the suggestion's. Meaningful only
// when Judged.
func (v Judgement) Right(s Suggestion) bool {
	if v.Reverted || v.Rejected || !v.Resolved {
		return false
	}
	return v.RootCause == s.RootCause && v.Action == s.Action
}

// Replay decides a stored decision again under p, from what the decision
// recorded: the suggestion (with its confidence, similarities and
// informativeness), the risk, and the holds found outside the policy. The
// history is as it stood when the item was decided, because the
// suggestion was made from it. Holds whose rule is the policy's own
// (the agreeing precedent's similarity against min_similarity) are
// judged again by p. What the replay cannot redo is what depends on
// running the pipeline again: neighbors, enrichment thresholds and
// param_defaults keep the effect they had (see NotReplayed).
func Replay(p *Policy, ex *Exception, d Decision) PolicyResult {
	holds := make([]string, 0, len(d.Holds)+1)
	for _, h := range d.Holds {
		if !isAgreementNote(d.Suggestion, h) {
			holds = append(holds, h)
		}
	}
	if d.Holds == nil {
		// Decided before holds were recorded: the tags say whether a
		// check outside the policy held the item.
		for _, w := range d.Why {
			if w == WhyEnrichmentHeld || w == WhyParamMissing {
				holds = append(holds, "held at decision time: "+string(w))
			}
		}
	}
	if note := agreementNote(d.Suggestion, p.MinSimilarity); note != "" {
		holds = append(holds, note)
	}
	return p.Decide(ex, d.Suggestion, d.Risk, holds)
}

// isAgreementNote reports whether h is agreementNote's for s under any
// minimum similarity.
func isAgreementNote(s Suggestion, h string) bool {
	full := agreementNote(s, math.Inf(1))
	if full == "" {
		return false
	}
	if s.Agreeing == 0 {
		return h == full
	}
	prefix, _, _ := strings.Cut(full, ", below ")
	return strings.HasPrefix(h, prefix+", below ")
}

// NotReplayed lists the settings a replay keeps as they were at decision
// time: changing them changes what the pipeline looks up, not only what
// the policy decides from it, so a preview says so rather than guess.
// Settings that only order queues (age_weight_per_day, risk_weight) do
// not change an outcome, so they are not listed.
var NotReplayed = []string{"neighbors", "enrichment_thresholds", "money_fields", "param_defaults"}

// notReplayedIn returns the settings of diff a replay cannot judge.
func notReplayedIn(diff []DiffEntry) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, d := range diff {
		top, _, _ := strings.Cut(d.Path, ".")
		for _, n := range NotReplayed {
			if top == n && !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	return out
}

// ParseWindow reads a look-back window: Go durations ("72h") or whole
// days ("30d").
func ParseWindow(field, s string) (time.Duration, error) {
	var d time.Duration
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := parseDays(days)
		if err != nil {
			return 0, Invalid(field, "%q is not a number of days like 30d", s)
		}
		d = time.Duration(n) * 24 * time.Hour
	} else {
		v, err := time.ParseDuration(s)
		if err != nil {
			return 0, Invalid(field, "%q is not a window like 30d or 72h", s)
		}
		d = v
	}
	if d <= 0 || d > MaxPreviewWindow {
		return 0, Invalid(field, "%s is outside 0 < window <= %dd", s, int(MaxPreviewWindow/(24*time.Hour)))
	}
	return d, nil
}

func parseDays(s string) (int, error) {
	n := 0
	if s == "" || len(s) > 4 {
		return 0, Invalid("", "bad days")
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, Invalid("", "bad days")
		}
		n = n*10 + int(c-'0')
	}
	return n, nil
}

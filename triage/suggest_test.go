package triage_test

import (
	"math"
	"testing"

	"github.com/billtriage/billtriage/triage"
)

func nb(sim float64, rc, act string) triage.Neighbor {
	return triage.Neighbor{Similarity: sim, RootCause: rc, Action: act, Queue: triage.QueueRevOps}
}

func TestMatcherSuggest(t *testing.T) {
	m := triage.Matcher{Exponent: 1, Prior: 0}
	tests := []struct {
		name       string
		ns         []triage.Neighbor
		rc, act    string
		confidence float64
	}{
		{"empty", nil, "", "", 0},
		{"unanimous", []triage.Neighbor{nb(0.9, "a", "x"), nb(0.8, "a", "x")}, "a", "x", 1},
		{"weighted majority", []triage.Neighbor{nb(0.9, "a", "x"), nb(0.5, "b", "y"), nb(0.4, "b", "y")}, "a", "x", 0.9 / 1.8},
		// root cause a wins 0.6 vs 0.4; within a, action x wins 0.4 vs 0.2
		{"action within cause", []triage.Neighbor{nb(0.4, "a", "x"), nb(0.4, "b", "y"), nb(0.2, "a", "z")}, "a", "x", 0.6 * (0.4 / 0.6)},
		// equal weights: ties break by code, so every run agrees
		{"tie", []triage.Neighbor{nb(0.5, "b", "y"), nb(0.5, "a", "x")}, "a", "x", 0.5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := m.Suggest(tc.ns)
			if s.RootCause != tc.rc || s.Action != tc.act {
				t.Errorf("got %s/%s, want %s/%s", s.RootCause, s.Action, tc.rc, tc.act)
			}
			if math.Abs(s.Confidence-tc.confidence) > 1e-9 {
				t.Errorf("confidence %.6f, want %.6f", s.Confidence, tc.confidence)
			}
		})
	}
}

// The prior keeps confidence low when precedents agree but are far away.
func TestMatcherPriorPenalisesDistance(t *testing.T) {
	m := triage.DefaultMatcher
	near := m.Suggest([]triage.Neighbor{nb(0.95, "a", "x"), nb(0.93, "a", "x"), nb(0.9, "a", "x")})
	far := m.Suggest([]triage.Neighbor{nb(0.45, "a", "x"), nb(0.43, "a", "x"), nb(0.4, "a", "x")})
	if near.Confidence < 0.8 || far.Confidence > 0.3 {
		t.Errorf("near %.3f (want ≥ 0.8), far %.3f (want ≤ 0.3)", near.Confidence, far.Confidence)
	}
	if near.TopSimilarity != 0.95 {
		t.Errorf("top similarity %v", near.TopSimilarity)
	}
}

// The matcher takes the queue and agreeing similarity from the closest
// agreeing precedent but never its parameters: they belong to that case.
func TestMatcherNeverCopiesPrecedentParams(t *testing.T) {
	a := nb(0.9, "gl", "add")
	a.Params = map[string]any{"gl_account": "4010"}
	a.Queue = triage.QueueFinance
	b := nb(0.95, "gl", "other")
	b.Params = map[string]any{"gl_account": "9999"}
	c := nb(0.8, "gl", "add")
	c.Params = map[string]any{"gl_account": "5000"}
	s := triage.Matcher{Exponent: 1}.Suggest([]triage.Neighbor{b, a, c})
	if s.Action != "add" || s.Params != nil || s.Queue != triage.QueueFinance || s.Agreeing != 0.9 {
		t.Errorf("got %s params %v queue %s agreeing %v", s.Action, s.Params, s.Queue, s.Agreeing)
	}
	if len(s.Alternatives) != 2 || s.Alternatives[0].Action != "add" {
		t.Errorf("alternatives %+v", s.Alternatives)
	}
}

package eval_test

import (
	"testing"

	"github.com/billtriage/billtriage/eval"
)

// thresholdCases: eligible cases at confidences .95 .9 .85 (right), .8
// (wrong), .7 (right), .6 (wrong); one at .88 held back by an action
// threshold of .9 (wrong); one the policy never automates at .99 (wrong).
// Precision at each threshold: .6 → 4/6, .7 → 4/5, .8 → 3/4, .85 → 3/3,
// .88 → 2/2, .9 → 2/2, .95 → 1/1, out of 8 cases.
func thresholdCases() []eval.Candidate {
	return []eval.Candidate{
		{Confidence: 0.95, Eligible: true, Correct: true},
		{Confidence: 0.9, Eligible: true, Correct: true},
		{Confidence: 0.85, Eligible: true, Correct: true},
		{Confidence: 0.8, Eligible: true},
		{Confidence: 0.7, Eligible: true, Correct: true},
		{Confidence: 0.6, Eligible: true},
		{Confidence: 0.88, Floor: 0.9, Eligible: true},
		{Confidence: 0.99},
	}
}

func TestPrecisionCoverage(t *testing.T) {
	curve := eval.PrecisionCoverage(thresholdCases(), 8)
	want := []eval.CurvePoint{
		{Threshold: 0.6, Precision: 4.0 / 6, Coverage: 6.0 / 8, Support: 6},
		{Threshold: 0.7, Precision: 4.0 / 5, Coverage: 5.0 / 8, Support: 5},
		{Threshold: 0.8, Precision: 3.0 / 4, Coverage: 4.0 / 8, Support: 4},
		{Threshold: 0.85, Precision: 1, Coverage: 3.0 / 8, Support: 3},
		{Threshold: 0.88, Precision: 1, Coverage: 2.0 / 8, Support: 2},
		{Threshold: 0.9, Precision: 1, Coverage: 2.0 / 8, Support: 2},
		{Threshold: 0.95, Precision: 1, Coverage: 1.0 / 8, Support: 1},
	}
	if len(curve) != len(want) {
		t.Fatalf("curve has %d points, want %d: %+v", len(curve), len(want), curve)
	}
	for i := range want {
		g, w := curve[i], want[i]
		if !near(g.Threshold, w.Threshold) || !near(g.Precision, w.Precision) || !near(g.Coverage, w.Coverage) || g.Support != w.Support {
			t.Errorf("point %d = %+v, want %+v", i, g, w)
		}
	}
}

func TestRecommend(t *testing.T) {
	curve := eval.PrecisionCoverage(thresholdCases(), 8)
	tests := []struct {
		name       string
		target     float64
		minSupport int
		want       *eval.Threshold
	}{
		{"lowest threshold meeting the target", 0.99, 3, &eval.Threshold{Threshold: 0.85, Precision: 1, Coverage: 0.375, Support: 3}},
		// .7 qualifies although .8 does not: the lowest qualifying one wins.
		{"precision is not monotone", 0.78, 1, &eval.Threshold{Threshold: 0.7, Precision: 0.8, Coverage: 0.625, Support: 5}},
		{"too little support", 0.99, 4, nil},
		{"unreachable target", 1, 4, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := eval.Recommend(curve, tc.target, tc.minSupport)
			if (got == nil) != (tc.want == nil) || (got != nil && *got != *tc.want) {
				t.Errorf("Recommend = %+v, want %+v", got, tc.want)
			}
		})
	}
}

// A threshold is reported rounded down, and the curve is evaluated at the
// rounded value, so the case that defined it is still automated by it.
func TestThresholdRoundsDown(t *testing.T) {
	cands := []eval.Candidate{{Confidence: 0.8765439, Eligible: true, Correct: true}}
	got := eval.Recommend(eval.PrecisionCoverage(cands, 1), 0.99, 1)
	if got == nil || got.Threshold != 0.876543 || got.Support != 1 {
		t.Errorf("Recommend = %+v, want threshold 0.876543 with the case included", got)
	}
}

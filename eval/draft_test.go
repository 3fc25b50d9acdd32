package eval_test

import (
	"testing"

	"github.com/billtriage/billtriage/eval"
	"github.com/billtriage/billtriage/triage"
)

// A draft sets the recommended thresholds and keeps the rest of the base.
func TestDraftPolicySetsRecommendedThresholds(t *testing.T) {
	base := triage.DefaultPolicy()
	draft, err := eval.DraftPolicy(base, map[string]*eval.Threshold{
		"usage_mismatch":    {Threshold: 0.62, Precision: 0.99, Support: 40},
		"tax_inconsistency": nil, // no threshold reached the target
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		typ  triage.Type
		want float64
	}{
		{triage.UsageMismatch, 0.62},
		{triage.TaxInconsistency, base.DefaultThreshold},
		{triage.Other, 1.01},
	}
	for _, tc := range tests {
		if got := draft.Threshold(tc.typ, "x"); got != tc.want {
			t.Errorf("%s: threshold %v, want %v", tc.typ, got, tc.want)
		}
	}
	if draft.Version() == base.Version() || base.Threshold(triage.UsageMismatch, "x") != base.DefaultThreshold {
		t.Errorf("the draft should be a new version and leave the base as it was")
	}
}

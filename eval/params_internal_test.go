package eval

import (
	"testing"

	"github.com/billtriage/billtriage/triage"
)

func correction(field, key, to string) map[string]any {
	return map[string]any{"field": field, "key": key, "from": key, "to": to}
}

func applied(field, key, to string) triage.Enrichment {
	return triage.Enrichment{Identifier: triage.Identifier{Field: field, Key: key},
		Applied: &triage.AppliedCorrection{Field: field, Key: key, Before: key, After: to}}
}

func TestCaseParamsComparesCorrectionsAsSets(t *testing.T) {
	label := map[string]any{"period": "2025-03", "corrections": []any{
		correction("price_book", "SUB-1", "PB-2025"), correction("account_id", "acct_1", "C-1")}}
	tests := []struct {
		name string
		d    *triage.Decision
		// want is the correctness of corrections and period.
		corrections, period, full bool
	}{
		{"same set in another order", &triage.Decision{Suggestion: triage.Suggestion{Params: map[string]any{"period": "2025-03"}},
			Enrichments: []triage.Enrichment{applied("account_id", "acct_1", "C-1"), applied("price_book", "SUB-1", "PB-2025")}}, true, true, true},
		{"one correction missing", &triage.Decision{Suggestion: triage.Suggestion{Params: map[string]any{"period": "2025-03"}},
			Enrichments: []triage.Enrichment{applied("account_id", "acct_1", "C-1")}}, false, true, false},
		{"wrong target", &triage.Decision{Suggestion: triage.Suggestion{Params: map[string]any{"period": "2025-03"}},
			Enrichments: []triage.Enrichment{applied("account_id", "acct_1", "C-2"), applied("price_book", "SUB-1", "PB-2025")}}, false, true, false},
		{"wrong period, extra parameter ignored", &triage.Decision{Suggestion: triage.Suggestion{Params: map[string]any{"period": "2025-02", "meter": "api_calls"}},
			Enrichments: []triage.Enrichment{applied("account_id", "acct_1", "C-1"), applied("price_book", "SUB-1", "PB-2025")}}, true, false, false},
		{"no decision", nil, false, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := Case{Params: caseParams(label, tc.d)}
			got := map[string]bool{}
			for _, p := range c.Params {
				got[p.Name] = p.Correct
			}
			if got["corrections"] != tc.corrections || got["period"] != tc.period || c.ParamsCorrect() != tc.full {
				t.Errorf("checks %+v: corrections %v period %v all %v; want %v %v %v", c.Params,
					got["corrections"], got["period"], c.ParamsCorrect(), tc.corrections, tc.period, tc.full)
			}
		})
	}
}

func TestCaseParamsLeavesOutReversedCorrections(t *testing.T) {
	rev := correction("account_id", "acct_1", "C-1")
	rev["reversed_at"] = "2025-01-01T00:00:00Z"
	label := map[string]any{"corrections": []any{rev}}
	d := &triage.Decision{Enrichments: []triage.Enrichment{applied("account_id", "acct_1", "C-9")}}
	if ps := caseParams(label, d); len(ps) != 0 {
		t.Errorf("a reversed label correction should leave the field out on both sides, got %+v", ps)
	}
}

func TestFullPrecisionBelowRootCauseActionPrecisionWhenParamsDiffer(t *testing.T) {
	right := func(params map[string]any, sug map[string]any, auto bool) Case {
		return Case{Labelled: true, LabelRootCause: "missing_gl_mapping", LabelAction: "add_gl_mapping",
			RootCause: "missing_gl_mapping", Action: "add_gl_mapping", Auto: auto,
			Params: caseParams(params, &triage.Decision{Suggestion: triage.Suggestion{Params: sug}})}
	}
	gl := func(v string) map[string]any { return map[string]any{"gl_account": v, "entity": "US01"} }
	cases := []Case{
		right(gl("4020-Services-US01"), gl("4020-Services-US01"), true), // fully right
		right(gl("4050-Support-US01"), gl("4020-Services-US01"), true),  // right classification, wrong account
		right(nil, gl("4020-Services-US01"), true),                      // label states nothing: extras ignored
		right(gl("4050-Support-US01"), nil, false),                      // queued, no value
		{Labelled: true, LabelRootCause: "a", LabelAction: "b", RootCause: "c", Action: "b", Auto: true},
	}
	a := autoMetrics(cases)
	if a.Automated != 4 || *a.Precision != 0.75 || *a.FullPrecision != 0.5 {
		t.Fatalf("automated %d precision %v full %v; want 4, 0.75, 0.5", a.Automated, *a.Precision, *a.FullPrecision)
	}
	gla := paramMetrics(cases)["gl_account"]
	// All: labelled in 3 cases, got a value in 3 (one where the label is
	// silent, which counts as wrong), right in 1; 2 of 3 labelled covered.
	want := ParamMetrics{Labelled: 3, Suggested: 3, Correct: 1, covered: 2}
	if got := gla.All; got.Labelled != want.Labelled || got.Suggested != want.Suggested || got.Correct != want.Correct ||
		*got.Precision != round6(1.0/3) || *got.Coverage != round6(2.0/3) {
		t.Errorf("all: %+v", got)
	}
	if got := gla.Auto; got.Labelled != 2 || got.Suggested != 3 || got.Correct != 1 || *got.Coverage != 1 {
		t.Errorf("auto: %+v", got)
	}
	if paramMetrics([]Case{{Labelled: true}}) != nil {
		t.Error("no parameters anywhere should give no params section")
	}
}

// A parameter stating the target of a correction that was later reversed is
// known to be wrong, and is not scored.
func TestParamOfAReversedCorrectionIsNotScored(t *testing.T) {
	label := map[string]any{"account_key": "tnt_1", "customer_id": "C-1", "corrections": []any{
		map[string]any{"field": "account_id", "key": "tnt_1", "from": "tnt_1", "to": "C-1", "reversed_at": "2025-12-22T10:37:07Z"}}}
	d := &triage.Decision{Suggestion: triage.Suggestion{Params: map[string]any{"account_key": "tnt_1", "customer_id": "C-2"}}}
	got := map[string]ParamCheck{}
	for _, pc := range caseParams(label, d) {
		got[pc.Name] = pc
	}
	if !got["account_key"].Correct || got["customer_id"].Label != nil || got["customer_id"].Correct {
		t.Errorf("checks %+v", got)
	}
}

package eval

import (
	"strings"
	"testing"

	"github.com/billtriage/billtriage/triage"
)

// deniedCase is a scored case of typ whose suggestion was action.
func deniedCase(typ triage.Type, action string, conf float64, eligible, auto, correct bool) Case {
	c := Case{Type: string(typ), Labelled: true, RootCause: "rc", Action: action, LabelRootCause: "rc", LabelAction: action,
		Confidence: conf, Eligible: eligible, Auto: auto}
	if !correct {
		c.LabelAction = "something_else"
	}
	return c
}

func TestDeniedActionsNameTheFirstRuleThatHeldThem(t *testing.T) {
	p := triage.DefaultPolicy()
	cases := []Case{
		// A new taxonomy's money-moving action: never eligible, unlisted.
		deniedCase(triage.BillingDispute, "credit_cancelled_period", 0.99, false, false, true),
		deniedCase(triage.BillingDispute, "credit_cancelled_period", 0.97, false, false, true),
		deniedCase(triage.BillingDispute, "credit_cancelled_period", 0.40, false, false, false),
		deniedCase(triage.BillingDispute, "issue_credit_memo", 0.99, false, false, true),
		// Automated once: not denied, however often it was held.
		deniedCase(triage.ERPPostingFailure, "add_gl_mapping", 0.99, true, true, true),
		deniedCase(triage.ERPPostingFailure, "add_gl_mapping", 0.50, true, false, true),
		deniedCase(triage.ERPPostingFailure, "retry_posting", 0.50, true, false, true),
		deniedCase(triage.ERPPostingFailure, "retry_posting", 0.60, false, false, false),
		deniedCase(triage.Other, "resend_invoice", 0.99, true, false, true),
		deniedCase(triage.TaxInconsistency, "request_tax_id", 0.99, false, false, true),
		{Type: string(triage.UsageMismatch), Labelled: true, LabelAction: "map_usage_account"}, // no suggestion
	}
	unscored := deniedCase(triage.UsageMismatch, "rerate_usage_period", 0.1, true, false, true)
	unscored.Labelled = false
	cases = append(cases, unscored)

	got := deniedActions(cases, p)
	want := map[string]map[string]struct {
		suggested, correct int
		reason, why        string
	}{
		"billing_dispute": {
			"credit_cancelled_period": {3, 2, DeniedNotAutomatable, "not in automatable_actions for billing_dispute"},
			"issue_credit_memo":       {1, 1, DeniedHumanOnly, "human_only_actions"},
		},
		"erp_posting_failure": {"retry_posting": {2, 1, DeniedBelowThreshold, "1 of 2 cases passed every other rule, but none reached the threshold 0.8500 (highest confidence 0.6000)"}},
		"other":               {"resend_invoice": {1, 1, DeniedBelowThreshold, "threshold 1.0100 is above 1"}},
		"tax_inconsistency":   {"request_tax_id": {1, 1, DeniedOtherRules, "another rule"}},
	}
	if len(got) != len(want) {
		t.Errorf("denied types %v, want %d types", got, len(want))
	}
	for typ, actions := range want {
		if len(got[typ]) != len(actions) {
			t.Errorf("%s: denied %v, want %d actions", typ, got[typ], len(actions))
		}
		for a, w := range actions {
			d, ok := got[typ][a]
			if !ok || d.Suggested != w.suggested || d.Correct != w.correct || d.Reason != w.reason || !strings.Contains(d.Why, w.why) {
				t.Errorf("%s / %s = %+v (listed %v), want %d suggested, %d right, %s, why containing %q", typ, a, d, ok, w.suggested, w.correct, w.reason, w.why)
			}
		}
	}

	// The report says automation was default-denied and what to allow;
	// a human-only action is never offered for allowing.
	res := &Result{Cases: cases}
	res.Metrics.Dataset.Labelled = 10
	res.Metrics.Auto.DeniedActions = got
	report := Report(res, Output{Source: "test"})
	for _, w := range []string{
		"**Default-deny:** 3 of the 10 scored cases suggested one of 1 actions",
		"## Actions never automated",
		"| billing_dispute | `credit_cancelled_period` | 3 | 2 | not_automatable |",
		"| billing_dispute | `issue_credit_memo` | 1 | 1 | human_only |",
		"```json\n{\n  \"billing_dispute\": [\n    \"credit_cancelled_period\"\n  ]\n}\n```",
	} {
		if !strings.Contains(report, w) {
			t.Errorf("report lacks %q:\n%s", w, report)
		}
	}
	if !strings.Contains(Summary(res), "1 of them (3 cases) not in the policy's automatable_actions") {
		t.Errorf("summary does not say what default-deny held:\n%s", Summary(res))
	}

	zero := 0.0
	res.Metrics.PerType = map[string]TypeMetrics{"billing_dispute": {Test: 4, Automatable: &zero}}
	if report := Report(res, Output{Source: "test"}); !strings.Contains(report, "The policy automates no case of `billing_dispute` at any confidence") ||
		strings.Contains(report, "gather more history") {
		t.Errorf("a type the policy never automates is blamed on the data:\n%s", report)
	}

	delete(got, "billing_dispute")
	report = Report(res, Output{Source: "test"})
	if strings.Contains(report, "Default-deny") || !strings.Contains(report, "nothing here needs allowing") {
		t.Errorf("with nothing unlisted the report still asks to allow actions:\n%s", report)
	}
	if s := Summary(res); !strings.Contains(s, "never automated: 3 suggested actions\n") {
		t.Errorf("summary without unlisted actions:\n%s", s)
	}
}

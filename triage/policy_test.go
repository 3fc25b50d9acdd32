package triage_test

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/billtriage/billtriage/triage"
)

func amount(v float64) *float64 { return &v }

func TestPolicyDecide(t *testing.T) {
	p := triage.DefaultPolicy()
	good := triage.Suggestion{RootCause: "missing_gl_mapping", Action: "add_gl_mapping", Confidence: 0.95, TopSimilarity: 0.9, Queue: triage.QueueFinance}
	tests := []struct {
		name    string
		ex      triage.Exception
		s       func(triage.Suggestion) triage.Suggestion
		risk    *triage.Risk
		outcome triage.Outcome
		queue   triage.Queue
		reason  string
	}{
		{"confident", triage.Exception{Type: triage.ERPPostingFailure, Amount: amount(100), Currency: "USD"}, nil, &triage.Risk{Probability: 0.2}, triage.OutcomeAuto, triage.QueueFinance, "applied automatically"},
		{"risky invoice", triage.Exception{Type: triage.ERPPostingFailure}, nil, &triage.Risk{Probability: 0.9, Factors: []triage.RiskFactor{{Words: "customer paid 5 of 6 late"}}}, triage.OutcomeQueue, triage.QueueFinance, "collection risk 0.90 is above 0.70 (customer paid 5 of 6 late)"},
		{"below threshold", triage.Exception{Type: triage.ERPPostingFailure}, func(s triage.Suggestion) triage.Suggestion { s.Confidence = 0.5; return s }, nil, triage.OutcomeQueue, triage.QueueFinance, "below the threshold"},
		{"far precedent", triage.Exception{Type: triage.ERPPostingFailure}, func(s triage.Suggestion) triage.Suggestion { s.TopSimilarity = 0.2; return s }, nil, triage.OutcomeQueue, triage.QueueFinance, "nearest precedent"},
		{"money moving", triage.Exception{Type: triage.BillingDispute}, func(s triage.Suggestion) triage.Suggestion {
			s.Action, s.Queue = "refund_duplicate_charge", triage.QueueSupport
			return s
		}, nil, triage.OutcomeQueue, triage.QueueSupport, "moves money"},
		{"too large", triage.Exception{Type: triage.ERPPostingFailure, Amount: amount(30000), Currency: "EUR"}, nil, nil, triage.OutcomeQueue, triage.QueueFinance, "above the automatic limit"},
		{"no precedent", triage.Exception{Type: triage.TaxInconsistency}, func(triage.Suggestion) triage.Suggestion { return triage.Suggestion{} }, nil, triage.OutcomeQueue, triage.QueueTax, "no precedent"},
		{"other is never automatic", triage.Exception{Type: triage.Other}, nil, nil, triage.OutcomeQueue, triage.QueueFinance, "below the threshold 1.01"},
		{"action of another taxonomy", triage.Exception{Type: triage.BillingDispute}, func(s triage.Suggestion) triage.Suggestion {
			s.RootCause, s.Action, s.Confidence, s.Queue = "cancelled_period", "credit_cancelled_period", 1, triage.QueueSupport
			return s
		}, nil, triage.OutcomeQueue, triage.QueueSupport, "action credit_cancelled_period is not automatable for type billing_dispute under policy " + p.Version() + "; add it to automatable_actions"},
		{"action listed for another type", triage.Exception{Type: triage.TaxInconsistency}, nil, nil, triage.OutcomeQueue, triage.QueueFinance, "add_gl_mapping is not automatable for type tax_inconsistency"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := good
			if tc.s != nil {
				s = tc.s(s)
			}
			r := p.Decide(&tc.ex, s, tc.risk, nil)
			if r.Outcome != tc.outcome || r.Queue != tc.queue {
				t.Errorf("got %s/%s, want %s/%s (%v)", r.Outcome, r.Queue, tc.outcome, tc.queue, r.Reasons)
			}
			if !strings.Contains(strings.Join(r.Reasons, "; "), tc.reason) {
				t.Errorf("reasons %q lack %q", r.Reasons, tc.reason)
			}
		})
	}
}

func TestParsePolicy(t *testing.T) {
	def := string(triage.DefaultPolicy().MarshalIndented())
	tests := []struct {
		name, json, field string
	}{
		{"default round-trips", def, ""},
		{"unknown field", `{"default_threshhold": 0.9}`, ""},
		{"negative threshold", strings.Replace(def, `"default_threshold": 0.85`, `"default_threshold": -1`, 1), "default_threshold"},
		{"bad queue", strings.Replace(def, `"tax_inconsistency": "tax"`, `"tax_inconsistency": "legal"`, 1), "default_queues"},
		{"a second object after it", def + `{"neighbors": 1}`, ""},
		{"stray text after it", def + "\n]", ""},
		{"min_informativeness out of range", strings.Replace(def, `"min_informativeness": 1`, `"min_informativeness": -1`, 1), "min_informativeness"},
		{"param default not a scalar", strings.Replace(def, `"neighbors": 10`, `"neighbors": 10, "param_defaults": {"retry_posting": {"retry_after": {"m": 15}}}`, 1), "param_defaults"},
		{"param default for corrections", strings.Replace(def, `"neighbors": 10`, `"neighbors": 10, "param_defaults": {"retry_posting": {"corrections": "x"}}`, 1), "param_defaults"},
		{"param default for an empty action", strings.Replace(def, `"neighbors": 10`, `"neighbors": 10, "param_defaults": {" ": {"retry_after": "15m"}}`, 1), "param_defaults"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := triage.ParsePolicy(strings.NewReader(tc.json))
			if tc.name == "default round-trips" {
				if err != nil || p.Version() != triage.DefaultPolicy().Version() {
					t.Fatalf("round trip: %v, version %v", err, p)
				}
				return
			}
			if triage.ErrorCode(err) != triage.EINVALID {
				t.Fatalf("err = %v, want invalid", err)
			}
			if tc.field != "" && triage.ErrorField(err) != tc.field {
				t.Errorf("field %q, want %q", triage.ErrorField(err), tc.field)
			}
		})
	}
}

// A valid param_defaults is kept and changes the version.
func TestPolicyParamDefaults(t *testing.T) {
	def := string(triage.DefaultPolicy().MarshalIndented())
	p, err := triage.ParsePolicy(strings.NewReader(strings.Replace(def, `"neighbors": 10`, `"neighbors": 10, "param_defaults": {"retry_posting": {"retry_after": "15m", "attempts": 3}}`, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if p.ParamDefaults["retry_posting"]["retry_after"] != "15m" || p.Version() == triage.DefaultPolicy().Version() {
		t.Errorf("defaults %v, version %s", p.ParamDefaults, p.Version())
	}
}

func TestPolicyVersionChangesWithContent(t *testing.T) {
	a := triage.DefaultPolicy()
	b, err := triage.ParsePolicy(strings.NewReader(strings.Replace(string(a.MarshalIndented()), `"max_auto_amount": 25000`, `"max_auto_amount": 100`, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if a.Version() == b.Version() || !strings.HasPrefix(a.Version(), "sha256:") {
		t.Errorf("versions %s and %s", a.Version(), b.Version())
	}
}

func TestThresholdTakesTheStrictest(t *testing.T) {
	p := triage.DefaultPolicy()
	p.TypeThresholds[triage.TaxInconsistency] = 0.9
	p.ActionThresholds = map[string]float64{"request_tax_id": 0.97, "lenient": 0.1}
	if got := p.Threshold(triage.TaxInconsistency, "request_tax_id"); got != 0.97 {
		t.Errorf("action threshold: %v", got)
	}
	if got := p.Threshold(triage.TaxInconsistency, "lenient"); got != 0.9 {
		t.Errorf("a lower action threshold must not loosen the type's: %v", got)
	}
}

// Priority grows with age and amount; the stored sort key does not change.
func TestPrioritySortKey(t *testing.T) {
	p := triage.DefaultPolicy()
	day := 24 * time.Hour
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	old := triage.Exception{OccurredAt: t0, Amount: amount(100), Currency: "USD"}
	big := triage.Exception{OccurredAt: t0.Add(4 * day), Amount: amount(100000), Currency: "USD"}
	small := triage.Exception{OccurredAt: t0.Add(4 * day), Amount: amount(100), Currency: "USD"}
	ko, kb, ks := p.SortKey(&old, nil), p.SortKey(&big, nil), p.SortKey(&small, nil)
	if !(kb > ko && ko > ks) {
		t.Errorf("keys big %.3f, old %.3f, small %.3f: want big > old > small", kb, ko, ks)
	}
	if risky := p.SortKey(&small, &triage.Risk{Probability: 1}); risky-ks != p.RiskWeight {
		t.Errorf("risk 1 adds %v to the key, want %v", risky-ks, p.RiskWeight)
	}
	now := t0.Add(10 * day)
	if got, want := p.Priority(ko, now), 2.0043213737826426+2.5; got-want > 1e-9 || want-got > 1e-9 {
		t.Errorf("priority of a 10-day-old 100 USD item = %v, want log10(101)+10×0.25 = %v", got, want)
	}
}

// A read error reaches the caller in the chain, so the API can tell a body
// over its limit from a bad policy.
func TestParsePolicyKeepsTheReadError(t *testing.T) {
	cause := errors.New("body too large")
	_, err := triage.ParsePolicy(io.MultiReader(strings.NewReader(`{"neighbors": `), iotest.ErrReader(cause)))
	if !errors.Is(err, cause) || triage.ErrorCode(err) != triage.EINVALID {
		t.Errorf("err = %v, want invalid wrapping %v", err, cause)
	}
	_, err = triage.ParsePolicy(io.MultiReader(strings.NewReader(string(triage.DefaultPolicy().MarshalIndented())), iotest.ErrReader(cause)))
	if !errors.Is(err, cause) {
		t.Errorf("after the object: err = %v, want it wrapping %v", err, cause)
	}
}

// policyJSON is the default policy as a file with its automatable_actions
// replaced by lists, or removed when lists is "".
func policyJSON(t *testing.T, lists string) string {
	t.Helper()
	def := string(triage.DefaultPolicy().MarshalIndented())
	start := strings.Index(def, `"automatable_actions": {`)
	end := strings.Index(def[max(start, 0):], "\n  },\n")
	if start < 0 || end < 0 {
		t.Fatalf("no automatable_actions in the default policy:\n%s", def)
	}
	end += start + len("\n  },\n")
	if lists == "" {
		return def[:start] + def[end:]
	}
	return def[:start] + `"automatable_actions": ` + lists + ",\n" + def[end:]
}

// policyWith parses policyJSON(t, lists).
func policyWith(t *testing.T, lists string) *triage.Policy {
	t.Helper()
	p, err := triage.ParsePolicy(strings.NewReader(policyJSON(t, lists)))
	if err != nil {
		t.Fatalf("parse with automatable_actions %q: %v", lists, err)
	}
	return p
}

// An action the policy does not list is never automated, however
// confident and whatever else passes; a listed one still is.
func TestAutomationIsDefaultDeny(t *testing.T) {
	ex := triage.Exception{Type: triage.BillingDispute, Amount: amount(10), Currency: "USD"}
	listed := triage.Suggestion{RootCause: "unrecognised_usage", Action: "send_usage_breakdown", Confidence: 0.9, TopSimilarity: 0.9}
	unknown := listed
	unknown.RootCause, unknown.Action = "cancelled_period", "credit_cancelled_period"
	for _, name := range []string{"default", "absent key", "explicit lists"} {
		p := triage.DefaultPolicy()
		switch name {
		case "absent key":
			p = policyWith(t, "")
		case "explicit lists":
			p = policyWith(t, `{"billing_dispute": ["send_usage_breakdown"]}`)
		}
		for _, c := range []float64{0.9, 0.999999, 1, 1e9} {
			unknown.Confidence, listed.Confidence = c, c
			if r := p.Decide(&ex, unknown, nil, nil); r.Outcome != triage.OutcomeQueue {
				t.Errorf("%s: credit_cancelled_period at confidence %v: %s %v", name, c, r.Outcome, r.Reasons)
			}
			if r := p.Decide(&ex, listed, nil, nil); r.Outcome != triage.OutcomeAuto {
				t.Errorf("%s: send_usage_breakdown at confidence %v: %s %v", name, c, r.Outcome, r.Reasons)
			}
		}
	}
}

// A policy file without automatable_actions gets the default lists (same
// version as the default policy); {} automates nothing; a type left out
// of a non-empty map has nothing automatable; null is refused.
func TestAutomatableActionsAbsentVersusEmpty(t *testing.T) {
	def := triage.DefaultPolicy()
	absent := policyWith(t, "")
	if absent.Version() != def.Version() {
		t.Errorf("absent key: version %s, want the default's %s", absent.Version(), def.Version())
	}
	for typ, actions := range def.AutomatableActions {
		for _, a := range actions {
			if !absent.Automatable(typ, a) {
				t.Errorf("absent key: %s / %s not automatable", typ, a)
			}
		}
	}
	empty := policyWith(t, "{}")
	if empty.Version() == def.Version() {
		t.Error("{} has the default policy's version")
	}
	if !strings.Contains(string(empty.MarshalIndented()), `"automatable_actions": {}`) {
		t.Error("{} does not survive a round trip: read again it would mean the default lists")
	}
	again, err := triage.ParsePolicy(strings.NewReader(string(empty.MarshalIndented())))
	if err != nil || again.Version() != empty.Version() {
		t.Errorf("{} round trip: %v, version %v", err, again)
	}
	one := policyWith(t, `{"erp_posting_failure": ["retry_posting", "add_gl_mapping", "retry_posting"]}`)
	ex := triage.Exception{Type: triage.ERPPostingFailure}
	s := triage.Suggestion{RootCause: "missing_gl_mapping", Action: "add_gl_mapping", Confidence: 0.99, TopSimilarity: 0.9}
	tests := []struct {
		name string
		p    *triage.Policy
		typ  triage.Type
		want triage.Outcome
	}{
		{"absent key allows the default", absent, triage.ERPPostingFailure, triage.OutcomeAuto},
		{"{} allows nothing", empty, triage.ERPPostingFailure, triage.OutcomeQueue},
		{"listed type", one, triage.ERPPostingFailure, triage.OutcomeAuto},
		{"type not in the map", one, triage.UsageMismatch, triage.OutcomeQueue},
	}
	for _, tc := range tests {
		ex.Type = tc.typ
		if r := tc.p.Decide(&ex, s, nil, nil); r.Outcome != tc.want {
			t.Errorf("%s: %s, want %s (%v)", tc.name, r.Outcome, tc.want, r.Reasons)
		}
	}
	if got := one.AutomatableActions[triage.ERPPostingFailure]; strings.Join(got, ",") != "add_gl_mapping,retry_posting" {
		t.Errorf("lists are not sorted and deduplicated: %q", got)
	}
}

func TestAutomatableActionsValidation(t *testing.T) {
	tests := []struct{ name, lists, want string }{
		{"unknown type", `{"refunds": ["issue_refund"]}`, `unknown type "refunds"`},
		{"empty action name", `{"other": ["resend_invoice", " "]}`, "an action name is empty"},
		{"null", "null", "leave the key out for the default lists"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := triage.ParsePolicy(strings.NewReader(policyJSON(t, tc.lists)))
			if triage.ErrorCode(err) != triage.EINVALID || triage.ErrorField(err) != "automatable_actions" ||
				!strings.Contains(triage.ErrorMessage(err), tc.want) {
				t.Errorf("err = %v (field %q), want invalid naming automatable_actions: %s", err, triage.ErrorField(err), tc.want)
			}
		})
	}
}

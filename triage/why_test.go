package triage_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// TestDecideTagsWhyQueued checks every check that holds an item names its
// tag beside its sentence, so the queue list never parses reasons.
func TestDecideTagsWhyQueued(t *testing.T) {
	p := triage.DefaultPolicy()
	good := triage.Suggestion{RootCause: "missing_gl_mapping", Action: "add_gl_mapping", Confidence: 0.95, TopSimilarity: 0.9, Queue: triage.QueueFinance}
	erp := triage.Exception{Type: triage.ERPPostingFailure, Amount: amount(100), Currency: "USD"}
	low := 0.01
	tests := []struct {
		name string
		ex   triage.Exception
		s    func(*triage.Suggestion)
		risk *triage.Risk
		want string
	}{
		{"automatic", erp, nil, nil, "[]"},
		{"no precedent", erp, func(s *triage.Suggestion) { *s = triage.Suggestion{} }, nil, "[no precedent]"},
		{"below threshold", erp, func(s *triage.Suggestion) { s.Confidence = 0.5 }, nil, "[below threshold]"},
		{"vague text", erp, func(s *triage.Suggestion) { s.Informativeness = &low }, nil, "[vague text]"},
		{"weak precedent", erp, func(s *triage.Suggestion) { s.TopSimilarity = 0.1 }, nil, "[weak precedent]"},
		{"money-moving", triage.Exception{Type: triage.BillingDispute}, func(s *triage.Suggestion) { s.Action = "refund_duplicate_charge" }, nil, "[money-moving]"},
		{"not automatable", triage.Exception{Type: triage.TaxInconsistency}, nil, nil, "[not automatable]"},
		{"risk", erp, nil, &triage.Risk{Probability: 0.95}, "[risk]"},
		{"amount limit", triage.Exception{Type: triage.ERPPostingFailure, Amount: amount(90000), Currency: "USD"}, nil, nil, "[amount limit]"},
		{"several, in the checks' order", triage.Exception{Type: triage.ERPPostingFailure, Amount: amount(90000), Currency: "USD"},
			func(s *triage.Suggestion) { s.Confidence = 0.5 }, &triage.Risk{Probability: 0.95}, "[below threshold risk amount limit]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := good
			if tc.s != nil {
				tc.s(&s)
			}
			r := p.Decide(&tc.ex, s, tc.risk, nil)
			if got := fmt.Sprint(r.Why); got != tc.want && !(tc.want == "[]" && r.Why == nil) {
				t.Errorf("why %s, want %s (reasons %q)", got, tc.want, r.Reasons)
			}
			if (len(r.Why) == 0) != (r.Outcome == triage.OutcomeAuto) {
				t.Errorf("outcome %s with tags %v", r.Outcome, r.Why)
			}
		})
	}
}

// TestQueuedBecause checks the one derivation of a row's tags: known tags
// once each, the most telling first; an automatic decision still queued
// was reverted.
func TestQueuedBecause(t *testing.T) {
	tests := []struct {
		outcome triage.Outcome
		why     []triage.Why
		want    string
	}{
		{triage.OutcomeQueue, nil, "[]"},
		{triage.OutcomeQueue, []triage.Why{triage.WhyBelowThreshold}, "[below threshold]"},
		{triage.OutcomeQueue, []triage.Why{triage.WhyBelowThreshold, triage.WhyMoneyMoving, triage.WhyBelowThreshold}, "[money-moving below threshold]"},
		{triage.OutcomeQueue, []triage.Why{triage.WhyVagueText, "made up", triage.WhyAmountLimit}, "[amount limit vague text]"},
		{triage.OutcomeAuto, nil, "[reverted]"},
		{triage.OutcomeAuto, []triage.Why{triage.WhyRisk}, "[reverted]"},
	}
	for _, tc := range tests {
		if got := fmt.Sprint(triage.QueuedBecause(tc.outcome, tc.why)); got != tc.want {
			t.Errorf("QueuedBecause(%s, %v) = %s, want %s", tc.outcome, tc.why, got, tc.want)
		}
	}
	for _, w := range triage.Whys {
		if !w.Valid() {
			t.Errorf("%q is listed but not valid", w)
		}
	}
	if triage.Why("bored").Valid() {
		t.Error("an unknown tag is valid")
	}
}

// TestQueueQueryValidate names the parameter at fault for each bad query
// and fills the defaults of a good one.
func TestQueueQueryValidate(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		name  string
		q     triage.QueueQuery
		field string
	}{
		{"defaults", triage.QueueQuery{}, ""},
		{"everything set", triage.QueueQuery{Search: " INV-7 late ", Customer: "C-1", Why: triage.WhyRisk, Type: triage.Other,
			MinAmount: f(-10), MaxAmount: f(1e6), MinRisk: f(0), MaxRisk: f(1), MinConfidence: f(0.2), MaxConfidence: f(0.9),
			MinAge: time.Hour, MaxAge: 48 * time.Hour, Sort: triage.SortAge, Desc: true}, ""},
		{"unknown queue", triage.QueueQuery{Queue: "legal"}, "queue"},
		{"unknown type", triage.QueueQuery{Type: "weather"}, "type"},
		{"limit too large", triage.QueueQuery{Limit: triage.MaxQueuePage + 1}, "limit"},
		{"search too long", triage.QueueQuery{Search: string(make([]byte, triage.MaxSearchLen+1))}, "q"},
		{"too many words", triage.QueueQuery{Search: "a b c d e f g h i"}, "q"},
		{"customer too long", triage.QueueQuery{Customer: string(make([]byte, triage.MaxSearchLen+1))}, "customer"},
		{"unknown reason", triage.QueueQuery{Why: "bored"}, "why"},
		{"amount not finite", triage.QueueQuery{MinAmount: f(math.Inf(1))}, "min_amount"},
		{"amount NaN", triage.QueueQuery{MaxAmount: f(math.NaN())}, "max_amount"},
		{"amounts crossed", triage.QueueQuery{MinAmount: f(10), MaxAmount: f(5)}, "min_amount"},
		{"risk above 1", triage.QueueQuery{MaxRisk: f(1.5)}, "max_risk"},
		{"risk below 0", triage.QueueQuery{MinRisk: f(-0.1)}, "min_risk"},
		{"confidence crossed", triage.QueueQuery{MinConfidence: f(0.9), MaxConfidence: f(0.1)}, "min_confidence"},
		{"negative age", triage.QueueQuery{MinAge: -time.Hour}, "min_age"},
		{"negative max age", triage.QueueQuery{MaxAge: -time.Hour}, "max_age"},
		{"ages crossed", triage.QueueQuery{MinAge: 72 * time.Hour, MaxAge: time.Hour}, "min_age"},
		{"unknown sort", triage.QueueQuery{Sort: "color"}, "sort"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := tc.q
			if q.Queue == "" {
				q.Queue = triage.QueueFinance
			}
			err := q.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("valid query refused: %v", err)
				}
				if q.Limit != triage.DefaultQueuePage || q.Sort == "" {
					t.Errorf("defaults not filled: limit %d sort %q", q.Limit, q.Sort)
				}
				return
			}
			if triage.ErrorCode(err) != triage.EINVALID || triage.ErrorField(err) != tc.field {
				t.Errorf("error %v (field %q), want invalid naming %q", err, triage.ErrorField(err), tc.field)
			}
		})
	}
	q := triage.QueueQuery{Queue: triage.QueueFinance, Search: "  late  "}
	if err := q.Validate(); err != nil || q.Search != "late" || q.Sort != triage.SortPriority || !q.Desc {
		t.Errorf("normalised %+v, %v: want the search trimmed and priority, highest first", q, err)
	}
}

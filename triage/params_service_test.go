package triage_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/embeddings"
	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
	"github.com/billtriage/billtriage/triage/postgres/pgtest"
)

// setupPricing imports a pricing history of two causes whose precedents
// carry their own contracts, discounts and entities, with the facts of
// each case, and a dispute history of refunds.
func setupPricing(t *testing.T) *triage.Service {
	t.Helper()
	db := pgtest.Open(t)
	emb, _ := embeddings.NewLocal(256)
	ctx := context.Background()
	if err := db.EnsureIndex(ctx, emb.Name(), emb.Dims()); err != nil {
		t.Fatal(err)
	}
	svc := triage.NewService(triage.Config{Store: postgres.NewStore(db), Embedder: emb, Now: func() time.Time { return day0.AddDate(1, 0, 0) }})
	var hist []triage.Resolution
	add := func(i int, typ triage.Type, text, rc, action string, facts triage.Facts, params map[string]any) {
		hist = append(hist, triage.Resolution{ExternalID: fmt.Sprintf("%s-%d", action, i), Type: typ, Text: text, RootCause: rc, Action: action,
			Queue: triage.QueueRevOps, Params: params, Facts: &facts, Attributes: facts.Attributes,
			OccurredAt: day0.AddDate(0, 0, i), ResolvedAt: day0.AddDate(0, 0, i)})
	}
	for i := range 30 {
		contract, pct, ent := fmt.Sprintf("CTR-2023-%04d", 8000+i), 5+i%3*5, []string{"US01", "US02"}[i%2]
		add(i, triage.PricingDiscrepancy, fmt.Sprintf("Contract discount of %d%% not applied on invoice INV-%d; list price charged", pct, 500+i),
			"discount_not_applied", "apply_contract_discount", triage.Facts{Attributes: map[string]any{"contract": contract, "entity": ent}},
			map[string]any{"contract": contract, "discount_pct": float64(pct), "entity": ent})
		pb := fmt.Sprintf("PB-%d", 2020+i%4)
		add(i, triage.PricingDiscrepancy, fmt.Sprintf("Invoice INV-%d rated with stale price book, catalogue outdated", 900+i),
			"wrong_price_book", "switch_price_book", triage.Facts{Attributes: map[string]any{"contract": fmt.Sprintf("CTR-2022-%04d", i), "entity": ent}},
			map[string]any{"price_book": pb})
		amount := float64(1000+i) + 0.25
		add(i, triage.BillingDispute, fmt.Sprintf("We were charged twice for invoice INV-%d, please refund the duplicate payment", 700+i),
			"duplicate_charge", "refund_duplicate_charge", triage.Facts{Amount: &amount, Currency: "USD", Attributes: map[string]any{"channel": "email"}},
			map[string]any{"amount": amount, "currency": "USD"})
	}
	if err := svc.ImportHistory(ctx, hist); err != nil {
		t.Fatal(err)
	}
	return svc
}

func submitCase(t *testing.T, svc *triage.Service, ex triage.Exception) triage.Submission {
	t.Helper()
	ex.Source, ex.OccurredAt = "test", day0.AddDate(0, 11, 0)
	subs, err := svc.Submit(context.Background(), admin, []triage.Exception{ex})
	if err != nil {
		t.Fatal(err)
	}
	return subs[0]
}

// The parameters come from the case, never from the precedent that agrees:
// no precedent has this entity, contract or discount.
func TestSuggestedParamsComeFromTheCaseNotThePrecedent(t *testing.T) {
	svc := setupPricing(t)
	s := submitCase(t, svc, triage.Exception{ExternalID: "p1", Type: triage.PricingDiscrepancy,
		Text:       "Contract discount of 20% not applied on invoice INV-4242; list price charged",
		Attributes: map[string]any{"contract": "CTR-2023-8003", "entity": "UK02"}})
	d := s.Decision
	if d.Action != "apply_contract_discount" {
		t.Fatalf("action %s", d.Action)
	}
	want := map[string]struct {
		v   any
		src triage.ParamSource
	}{"contract": {"CTR-2023-8003", triage.SourceCase}, "entity": {"UK02", triage.SourceCase}, "discount_pct": {"20", triage.SourceText}}
	for name, w := range want {
		sp := d.ParamSources[name]
		if !triage.SameValue(sp.Value, w.v) || sp.Source != w.src || !triage.SameValue(d.Params[name], w.v) {
			t.Errorf("%s: %+v (params %v), want %v from %s", name, sp, d.Params[name], w.v, w.src)
		}
	}
	if d.PairConfidence < d.Confidence || d.Confidence <= 0 {
		t.Errorf("whole confidence %.3f, pair %.3f", d.Confidence, d.PairConfidence)
	}
}

// A dispute's refund amount and currency are the dispute's own.
func TestRefundAmountIsTheDisputes(t *testing.T) {
	svc := setupPricing(t)
	amount := 761.72
	s := submitCase(t, svc, triage.Exception{ExternalID: "d1", Type: triage.BillingDispute, Amount: &amount, Currency: "GBP",
		Text: "We were charged twice for invoice INV-9001, please refund the duplicate payment", Attributes: map[string]any{"channel": "email"}})
	d := s.Decision
	if d.Action != "refund_duplicate_charge" || !triage.SameValue(d.Params["amount"], 761.72) || d.Params["currency"] != "GBP" {
		t.Fatalf("%s %v", d.Action, d.Params)
	}
	if d.ParamSources["amount"].From != "amount" || d.Outcome != triage.OutcomeQueue {
		t.Errorf("amount from %q, outcome %s: money never moves without a person", d.ParamSources["amount"].From, d.Outcome)
	}
}

// A required parameter the case does not state holds the item, and so does
// a text that says nothing about the cause.
func TestMissingParamAndVagueTextGoToAPerson(t *testing.T) {
	svc := setupPricing(t)
	tests := []struct {
		name, text string
		attrs      map[string]any
		reason     string
	}{
		{"no contract", "Contract discount of 20% not applied on invoice INV-4243; list price charged",
			map[string]any{"entity": "US01"}, "parameter contract of apply_contract_discount has no trustworthy source"},
		{"vague", "Invoice INV-4244 looks wrong, please check", map[string]any{"contract": "CTR-2023-8003", "entity": "US01"},
			"the text says little about the cause"},
	}
	for i, tt := range tests {
		s := submitCase(t, svc, triage.Exception{ExternalID: fmt.Sprintf("m%d", i), Type: triage.PricingDiscrepancy, Text: tt.text, Attributes: tt.attrs})
		if s.Decision.Outcome != triage.OutcomeQueue || !strings.Contains(strings.Join(s.Decision.Reasons, "\n"), tt.reason) {
			t.Errorf("%s: %s %v", tt.name, s.Decision.Outcome, s.Decision.Reasons)
		}
	}
}

package eval_test

import (
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/dataset/generate"
	"github.com/billtriage/billtriage/eval"
	"github.com/billtriage/billtriage/triage"
)

// checkRecords is a small history in shapes of its own: an account
// mapping corrected twice and a jurisdiction corrected twice.
func checkRecords() []dataset.Record {
	at := func(d int) time.Time { return time.Date(2026, 2, d, 10, 0, 0, 0, time.UTC) }
	res := func(d int, field, key, from, to string) *dataset.Resolution {
		r := at(d + 1)
		return &dataset.Resolution{RootCause: "c", Action: "a", ResolvedAt: &r,
			Params: map[string]any{"corrections": []any{map[string]any{"field": field, "key": key, "from": from, "to": to}}}}
	}
	var recs []dataset.Record
	for d := 1; d <= 2; d++ {
		recs = append(recs,
			dataset.Record{ID: "g" + string(rune('0'+d)), OccurredAt: at(d), Type: "erp_posting_failure", CustomerID: "alpha", Currency: "EUR",
				Attributes: map[string]any{"entity": "E1", "sku": "s-1"}, Resolution: res(d, "gl_account", "s-1@E1", "", "GL-E1-7")},
			dataset.Record{ID: "t" + string(rune('0'+d)), OccurredAt: at(d), Type: "tax_inconsistency", CustomerID: "alpha",
				Attributes: map[string]any{"jurisdiction": "J-2"}, Resolution: res(d, "tax_jurisdiction", "alpha", "J-2", "J-1")})
	}
	return recs
}

func TestScoreDraftsCountsPerCheck(t *testing.T) {
	h := eval.CheckHistoryOf(checkRecords(), nil, time.Time{})
	mk := func(id, gl, tax string) triage.Draft {
		return triage.Draft{ID: id, CustomerID: "alpha", Entity: "E1", Currency: "EUR", TaxCode: tax, Period: "2026-03",
			Lines: []triage.DraftLine{{SKU: "s-1", GLAccount: gl}}}
	}
	drafts := []triage.Draft{mk("ok", "GL-E1-7", "J-1"), mk("gl", "GL-E1-9", "J-1"), mk("tax", "GL-E1-7", "J-3"), mk("missed", "GL-E1-7", "J-1")}
	truth := map[string]generate.DraftTruth{
		"gl":     {DraftID: "gl", Check: triage.CheckRevenueAccount},
		"tax":    {DraftID: "tax", Check: triage.CheckTaxTreatment},
		"missed": {DraftID: "missed", Check: triage.CheckPriceBook},
	}
	s := eval.ScoreDrafts(h, drafts, truth, triage.CheckConfig{})
	if s.Drafts != 4 || s.Faulty != 3 || s.Held != 2 || s.HeldFaulty != 2 || s.CleanHeld != 0 {
		t.Errorf("totals %+v", s)
	}
	for _, c := range s.PerCheck {
		want := map[triage.Check][3]int{triage.CheckRevenueAccount: {1, 1, 1}, triage.CheckTaxTreatment: {1, 1, 1}, triage.CheckPriceBook: {1, 0, 0}}[c.Check]
		if c.Seeded != want[0] || c.Flagged != want[1] || c.TP != want[2] {
			t.Errorf("%s: %+v, want seeded/flagged/tp %v", c.Check, c, want)
		}
	}
}

func TestScoreCaughtLearnsOnlyThePast(t *testing.T) {
	recs := checkRecords()
	late := time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC)
	recs = append(recs, dataset.Record{ID: "later", OccurredAt: late, Type: "tax_inconsistency", CustomerID: "alpha",
		Attributes: map[string]any{"jurisdiction": "J-2"}, Resolution: &dataset.Resolution{RootCause: "wrong_place", Action: "fix"}})
	caught, _ := eval.ScoreCaught(recs, nil, late, []triage.Type{triage.TaxInconsistency}, triage.CheckConfig{})
	if len(caught) != 1 || caught[0].Cases != 1 || caught[0].Caught != 1 || caught[0].ByCheck[triage.CheckTaxTreatment] != 1 {
		t.Errorf("caught %+v", caught)
	}
	// Split before the corrections were made: nothing was known yet.
	early := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	caught, _ = eval.ScoreCaught(recs[len(recs)-1:], nil, early, []triage.Type{triage.TaxInconsistency}, triage.CheckConfig{})
	if len(caught) != 1 || caught[0].Caught != 0 {
		t.Errorf("with no history: %+v", caught)
	}
	var b strings.Builder
	if err := (eval.ChecksReport{Caught: caught}).WriteMarkdown(&b); err != nil || !strings.Contains(b.String(), "wrong_place") {
		t.Errorf("report %q (%v)", b.String(), err)
	}
}

package postgres_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/billtriage/billtriage/triage"
)

func TestCheckHistoryReadsCasesInvoicesAndCorrections(t *testing.T) {
	_, st := setup(t)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(1, 2))
	issued := time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)
	if err := st.UpsertInvoices(ctx, []triage.Invoice{{InvoiceID: "B-1", CustomerID: "k-1", IssuedAt: issued, DueAt: issued, Amount: 10, Currency: "EUR", Region: "Europe"}}); err != nil {
		t.Fatal(err)
	}
	reversed := issued.AddDate(0, 1, 0)
	res := func(ext string, facts *triage.Facts, cs ...triage.Correction) triage.Resolution {
		return triage.Resolution{ExternalID: ext, Type: triage.ERPPostingFailure, Text: "posting failed " + ext, RootCause: "rc", Action: "act",
			Verdict: triage.VerdictImported, OccurredAt: issued.Add(time.Hour), ResolvedAt: issued.Add(2 * time.Hour), Embedder: "test-emb",
			Vector: unit(r, 1, 0.1), Facts: facts, Corrections: cs}
	}
	err := st.AddResolutions(ctx, []triage.Resolution{
		res("a", &triage.Facts{CustomerID: "k-1", InvoiceID: "B-1", Attributes: map[string]any{"entity": "L-1"}},
			triage.Correction{Field: "gl_account", Key: "w@L-1", To: "R-L-1"}),
		res("b", &triage.Facts{CustomerID: "k-1"}, triage.Correction{Field: "gl_account", Key: "w@L-1", To: "R-A-WRONG", ReversedAt: &reversed}),
		res("no-facts", nil),
	})
	if err != nil {
		t.Fatal(err)
	}
	h, err := st.CheckHistory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Two cases with facts (the one without has nothing to learn from)
	// and the invoice; the case on B-1 knows when its invoice was issued.
	if len(h.Cases) != 3 || len(h.Corrections) != 2 {
		t.Fatalf("%d cases, %d corrections", len(h.Cases), len(h.Corrections))
	}
	var withInvoice, invoice bool
	for _, c := range h.Cases {
		withInvoice = withInvoice || (c.Facts.InvoiceID == "B-1" && c.Type == triage.ERPPostingFailure && c.IssuedAt.Equal(issued))
		invoice = invoice || (c.Type == "" && c.Facts.CustomerID == "k-1" && c.Facts.Region == "Europe")
	}
	if !withInvoice || !invoice {
		t.Errorf("cases %+v", h.Cases)
	}
	k := triage.LearnChecks(h)
	d := triage.Draft{ID: "d", CustomerID: "k-1", Entity: "L-1", Currency: "EUR", Period: "2026-05",
		Lines: []triage.DraftLine{{SKU: "w", GLAccount: "R-A-WRONG"}}}
	fs := k.CheckDraft(d, time.Time{}, triage.CheckConfig{MinSupport: 1})
	if len(fs) != 1 || fs[0].Check != triage.CheckRevenueAccount || fs[0].Expected != "R-L-1" {
		t.Errorf("findings %+v, want the reversed mapping ignored and R-L-1 expected", fs)
	}
}

func TestDriftFindingsAreRecordedOnceADay(t *testing.T) {
	_, st := setup(t)
	ctx := context.Background()
	at := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
	f := triage.DriftFinding{Source: "hub", Kind: triage.DriftNewField, Field: "attributes.x", Before: "in 0 of 60 records",
		After: "in 5 of 20 records", Examples: []string{"r-1", "r-2"}, Baseline: 60, Current: 20, DetectedAt: at}
	saved, isNew, err := st.RecordDrift(ctx, f)
	if err != nil || !isNew || saved.ID == 0 {
		t.Fatalf("first: %+v %v %v", saved, isNew, err)
	}
	if _, isNew, err := st.RecordDrift(ctx, f); err != nil || isNew {
		t.Errorf("same day again: new %v (%v)", isNew, err)
	}
	f.DetectedAt = at.AddDate(0, 0, 1)
	if _, isNew, err := st.RecordDrift(ctx, f); err != nil || !isNew {
		t.Errorf("next day: new %v (%v)", isNew, err)
	}
	got, err := st.DriftFindings(ctx, at.Add(-time.Hour), 10)
	if err != nil || len(got) != 2 || got[0].DetectedAt.Before(got[1].DetectedAt) || len(got[0].Examples) != 2 || got[1].Before != f.Before {
		t.Errorf("findings %+v (%v)", got, err)
	}
	if later, err := st.DriftFindings(ctx, at.Add(time.Hour), 10); err != nil || len(later) != 1 {
		t.Errorf("since after the first: %d (%v)", len(later), err)
	}
}

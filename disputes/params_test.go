package disputes_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/billtriage/billtriage/disputes"
	"github.com/billtriage/billtriage/embeddings"
	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
	"github.com/billtriage/billtriage/triage/postgres/pgtest"
)

const gbpEmail = `From: Priya Shah <priya@harborfield.example>
To: billing@vendor.example
Subject: Duplicate charge on INV-5512
Date: Tue, 4 Nov 2025 10:00:00 +0000

Hello,

our bank shows a second card payment of GBP 761.72 for invoice INV-5512, which was already paid. Please refund the duplicate charge.

Regards,
Priya
`

// A pasted dispute's refund is the email's own amount and currency, never
// a precedent's: the history's refunds were all in USD, of other amounts.
func TestDisputeRefundIsTheEmailsAmount(t *testing.T) {
	db := pgtest.Open(t)
	ctx := context.Background()
	emb, _ := embeddings.NewLocal(256)
	if err := db.EnsureIndex(ctx, emb.Name(), emb.Dims()); err != nil {
		t.Fatal(err)
	}
	st := postgres.NewStore(db)
	svc := triage.NewService(triage.Config{Store: st, Embedder: emb})
	var hist []triage.Resolution
	for i := range 12 {
		amount := 1000 + float64(i)*37.5
		facts := triage.Facts{Amount: &amount, Currency: "USD", InvoiceID: fmt.Sprintf("INV-%d", 100+i), Attributes: map[string]any{"channel": "email"}}
		hist = append(hist, triage.Resolution{ExternalID: fmt.Sprint("d", i), Type: triage.BillingDispute, RootCause: "duplicate_charge",
			Action: "refund_duplicate_charge", Queue: triage.QueueSupport, OccurredAt: time.Now(), ResolvedAt: time.Now(),
			Text:   fmt.Sprintf("Our bank shows a second card payment of USD %.2f for invoice INV-%d, which was already paid. Please refund the duplicate charge.", amount, 100+i),
			Params: map[string]any{"amount": amount, "currency": "USD"}, Facts: &facts})
	}
	if err := svc.ImportHistory(ctx, hist); err != nil {
		t.Fatal(err)
	}
	in := &disputes.Intake{Service: svc, Invoices: st, Customers: st, Reasons: st}
	res, err := in.Submit(ctx, support, disputes.Request{Raw: gbpEmail})
	if err != nil {
		t.Fatal(err)
	}
	d := res.Decision
	if d.Action != "refund_duplicate_charge" || !triage.SameValue(d.Params["amount"], 761.72) || d.Params["currency"] != "GBP" {
		t.Fatalf("%s %v (reasons %v)", d.Action, d.Params, d.Reasons)
	}
	if src := d.ParamSources["amount"]; src.Source != triage.SourceCase || src.From != "amount" {
		t.Errorf("amount source %+v", src)
	}
	if d.Outcome != triage.OutcomeQueue {
		t.Errorf("a refund was automated: money never moves without a person")
	}
}

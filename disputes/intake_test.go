package disputes_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/disputes"
	"github.com/billtriage/billtriage/embeddings"
	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
	"github.com/billtriage/billtriage/triage/postgres/pgtest"
)

// setupIntake gives an intake on a fresh schema with a small dispute
// history and one known invoice.
func setupIntake(t *testing.T, assistant triage.Assistant) (*disputes.Intake, *postgres.Store) {
	t.Helper()
	db := pgtest.Open(t)
	ctx := context.Background()
	emb, _ := embeddings.NewLocal(256)
	if err := db.EnsureIndex(ctx, emb.Name(), emb.Dims()); err != nil {
		t.Fatal(err)
	}
	st := postgres.NewStore(db)
	svc := triage.NewService(triage.Config{Store: st, Embedder: emb})
	var hist []triage.Resolution
	for i := range 8 {
		hist = append(hist,
			triage.Resolution{ExternalID: fmt.Sprint("d", i), Type: triage.BillingDispute, RootCause: "duplicate_charge",
				Action: "refund_duplicate_charge", Queue: triage.QueueSupport, OccurredAt: time.Now(), ResolvedAt: time.Now(),
				Text: fmt.Sprintf("We were charged twice for invoice INV-%d, please refund the duplicate payment.", 100+i)},
			triage.Resolution{ExternalID: fmt.Sprint("p", i), Type: triage.BillingDispute, RootCause: "price_increase_dispute",
				Action: "explain_price_change", Queue: triage.QueueSupport, OccurredAt: time.Now(), ResolvedAt: time.Now(),
				Text: fmt.Sprintf("Why is invoice INV-%d 10%% higher than last month? Has the price changed?", 200+i)})
	}
	if err := svc.ImportHistory(ctx, hist); err != nil {
		t.Fatal(err)
	}
	due := time.Now().AddDate(0, 0, 30)
	if err := st.UpsertInvoices(ctx, []triage.Invoice{{InvoiceID: "INV-2041", CustomerID: "C-1106", IssuedAt: time.Now(), DueAt: due,
		Amount: 1200, Currency: "USD"}}); err != nil {
		t.Fatal(err)
	}
	return &disputes.Intake{Service: svc, Invoices: st, Customers: st, Reasons: st, Assistant: assistant}, st
}

const duplicateEmail = `From: Dana Smith <dana@northwind.example>
To: billing@vendor.example
Subject: Charged twice for INV-2041
Date: Tue, 4 Mar 2025 10:00:00 +0000

Hi team,

we were charged twice for invoice INV-2041 (USD 1,200.00). Please refund the duplicate payment.

Thanks,
Dana
Finance Lead

On Mon, 3 Mar 2025 at 09:00, Vendor Billing <billing@vendor.example> wrote:
> Please find your invoice attached.
`

func TestIntakeParsesLinksAndTriages(t *testing.T) {
	in, _ := setupIntake(t, nil)
	ctx := context.Background()
	res, err := in.Submit(ctx, disputes.Request{Raw: duplicateEmail})
	if err != nil {
		t.Fatal(err)
	}
	if res.Link.InvoiceID != "INV-2041" || res.Link.CustomerID != "C-1106" || res.Link.By != "invoice" {
		t.Errorf("link %+v", res.Link)
	}
	ex := res.Exception
	if ex.Type != triage.BillingDispute || strings.Contains(ex.Text, "Please find your invoice attached") || ex.Attributes["sender_domain"] != "northwind.example" {
		t.Errorf("exception %+v", ex)
	}
	if res.Decision.RootCause != "duplicate_charge" || res.Decision.Outcome != triage.OutcomeQueue {
		t.Errorf("decision %s / %s: %v", res.Decision.RootCause, res.Decision.Outcome, res.Decision.Reasons)
	}
	again, err := in.Submit(ctx, disputes.Request{Raw: duplicateEmail})
	if err != nil || again.Created || again.Exception.ID != ex.ID {
		t.Errorf("pasting twice made a second exception: %v %v", again.Created, err)
	}
	// A later email from the same domain, naming no known invoice, links
	// by the sender's domain.
	next, err := in.Submit(ctx, disputes.Request{Raw: strings.Replace(strings.Replace(duplicateEmail, "INV-2041", "INV-9999", -1), "10:00:00", "11:00:00", 1)})
	if err != nil {
		t.Fatal(err)
	}
	if next.Link.CustomerID != "C-1106" || next.Link.By != "sender domain" {
		t.Errorf("domain link %+v", next.Link)
	}
	if _, err := in.Submit(ctx, disputes.Request{Raw: strings.Repeat("a", disputes.MaxBytes+1)}); !errors.Is(err, disputes.ErrTooLarge) {
		t.Errorf("oversize email: %v", err)
	}
	if _, err := in.Submit(ctx, disputes.Request{Raw: "   "}); triage.ErrorField(err) != "text" {
		t.Errorf("empty email: %v", err)
	}
}

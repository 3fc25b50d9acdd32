package triage_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/triage"
)

var integration = triage.Principal{KeyID: 7, Name: "netsuite-connector", Role: triage.RoleIntegration}

// failedPosting is a NetSuite failure the test history explains.
func failedPosting(id string) triage.Posting {
	amt := 1200.0
	return triage.Posting{ID: id, InvoiceID: "INV-4410", CustomerID: "C-77", Status: triage.PostingFailed, ERP: "NetSuite",
		Error: "GL account mapping missing for SKU PLAN-9 in entity US01", Amount: &amt, Currency: "USD",
		OccurredAt: time.Date(2025, 5, 31, 9, 0, 0, 0, time.UTC)}
}

func TestAFailedPostingRaisesOneException(t *testing.T) {
	svc, _ := setup(t)
	ctx := context.Background()
	first, err := svc.ReportPosting(ctx, integration, failedPosting("P-1"))
	if err != nil {
		t.Fatal(err)
	}
	sub := first.Submission
	if sub == nil || !sub.Created || sub.Exception.Type != triage.ERPPostingFailure || sub.Exception.Source != triage.PostingSource ||
		sub.Exception.ExternalID != "P-1" || sub.Decision == nil {
		t.Fatalf("first report: %+v", first)
	}
	if want := "NetSuite posting failed for invoice INV-4410: GL account mapping missing"; !strings.HasPrefix(sub.Exception.Text, want) {
		t.Errorf("text %q, want it to start %q", sub.Exception.Text, want)
	}
	again, err := svc.ReportPosting(ctx, integration, failedPosting("P-1"))
	if err != nil || again.Submission == nil || again.Submission.Created || again.Submission.Exception.ID != sub.Exception.ID {
		t.Fatalf("the repeat raised another exception or failed: %+v %v", again.Submission, err)
	}
	other := failedPosting("P-1")
	other.Error = "Period closed"
	if _, err := svc.ReportPosting(ctx, integration, other); triage.ErrorCode(err) != triage.ECONFLICT || triage.ErrorField(err) != "posting_id" {
		t.Errorf("another failure under the same posting id: %v (field %q), want conflict naming posting_id", err, triage.ErrorField(err))
	}
	// The integration sees no queue: the exception itself stays out of
	// its reach.
	if _, err := svc.Exception(ctx, integration, sub.Exception.ID); triage.ErrorCode(err) != triage.EFORBIDDEN {
		t.Errorf("the integration read the exception: %v", err)
	}
}

func TestPostingOutcomesAreCounted(t *testing.T) {
	svc, st := setup(t)
	ctx := context.Background()
	since := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	ok := triage.Posting{ID: "P-ok", InvoiceID: "INV-1", Status: triage.PostingPosted, OccurredAt: since.Add(time.Hour)}
	report := func(p triage.Posting) {
		t.Helper()
		if _, err := svc.ReportPosting(ctx, admin, p); err != nil {
			t.Fatal(err)
		}
	}
	report(ok)
	report(failedPosting("P-2"))
	report(failedPosting("P-3"))
	// P-3 went through on the ERP's retry; a late copy of its failure
	// must not undo that.
	retried := triage.Posting{ID: "P-3", InvoiceID: "INV-4410", Status: triage.PostingPosted, OccurredAt: failedPosting("P-3").OccurredAt.Add(time.Hour)}
	report(retried)
	report(failedPosting("P-3"))
	stats, err := st.Stats(ctx, since)
	if err != nil {
		t.Fatal(err)
	}
	if stats.PostingsFailed != 1 || stats.PostingsTotal != 3 {
		t.Errorf("postings failed %d of %d, want 1 of 3", stats.PostingsFailed, stats.PostingsTotal)
	}
	if later, _ := st.Stats(ctx, since.AddDate(0, 2, 0)); later.PostingsTotal != 0 {
		t.Errorf("postings before the window counted: %d", later.PostingsTotal)
	}
}

func TestABadPostingIsRefusedNamingTheField(t *testing.T) {
	svc, _ := setup(t)
	long := strings.Repeat("x", triage.MaxIDBytes+1)
	tests := []struct {
		field  string
		change func(*triage.Posting)
	}{
		{"posting_id", func(p *triage.Posting) { p.ID = " " }},
		{"posting_id", func(p *triage.Posting) { p.ID = long }},
		{"invoice_id", func(p *triage.Posting) { p.InvoiceID = "" }},
		{"customer_id", func(p *triage.Posting) { p.CustomerID = long }},
		{"erp", func(p *triage.Posting) { p.ERP = "net\x00suite" }},
		{"status", func(p *triage.Posting) { p.Status = "pending" }},
		{"error", func(p *triage.Posting) { p.Error = "" }},
		{"error", func(p *triage.Posting) { p.Error = strings.Repeat("e", triage.MaxPostingErrorBytes+1) }},
		{"amount", func(p *triage.Posting) { a := 2e12; p.Amount = &a }},
		{"currency", func(p *triage.Posting) { p.Currency = "XXX" }},
		{"occurred_at", func(p *triage.Posting) { p.OccurredAt = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC) }},
	}
	for _, tc := range tests {
		p := failedPosting("P-bad")
		tc.change(&p)
		_, err := svc.ReportPosting(context.Background(), integration, p)
		if triage.ErrorCode(err) != triage.EINVALID || triage.ErrorField(err) != tc.field {
			t.Errorf("%+v: %v (field %q), want invalid %s", p.ID, err, triage.ErrorField(err), tc.field)
		}
	}
}

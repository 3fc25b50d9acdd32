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

// setup returns a service on a fresh schema of the real database with the
// local embedder and a small history of two well-separated causes.
func setup(t *testing.T) (*triage.Service, *postgres.Store) {
	t.Helper()
	svc, st, _ := setupDB(t)
	return svc, st
}

// setupDB is setup that also hands out the database, for tests that check
// what is stored with SQL of their own.
func setupDB(t *testing.T) (*triage.Service, *postgres.Store, *postgres.DB) {
	t.Helper()
	db := pgtest.Open(t)
	emb, err := embeddings.NewLocal(256)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.EnsureIndex(context.Background(), emb.Name(), emb.Dims()); err != nil {
		t.Fatal(err)
	}
	st := postgres.NewStore(db)
	svc := triage.NewService(triage.Config{Store: st, Embedder: emb, Policies: st, Models: st, ModelShadows: st, ClassifierShadows: st, Outbox: st, Postings: st, Patterns: st, Alarms: st,
		Now: func() time.Time { return time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC) }})
	var hist []triage.Resolution
	for i := range 12 {
		hist = append(hist,
			triage.Resolution{ExternalID: fmt.Sprintf("gl-%d", i), Type: triage.ERPPostingFailure,
				Text:      fmt.Sprintf("NetSuite posting rejected: GL account mapping missing for SKU PLAN-%d in entity US01", i),
				RootCause: "missing_gl_mapping", Action: "add_gl_mapping", Params: map[string]any{"gl_account": "4010"},
				Queue: triage.QueueFinance, OccurredAt: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), ResolvedAt: time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)},
			triage.Resolution{ExternalID: fmt.Sprintf("to-%d", i), Type: triage.ERPPostingFailure,
				Text:      fmt.Sprintf("SAP connector timeout after 30s while posting invoice batch %d, will retry", i),
				RootCause: "erp_timeout", Action: "retry_posting", Queue: triage.QueueFinance,
				OccurredAt: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), ResolvedAt: time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)})
	}
	if err := svc.ImportHistory(context.Background(), hist); err != nil {
		t.Fatal(err)
	}
	return svc, st, db
}

func submitOne(t *testing.T, svc *triage.Service, ext, text string) triage.Submission {
	t.Helper()
	amt := 120.0
	subs, err := svc.Submit(context.Background(), admin, []triage.Exception{{Source: "test", ExternalID: ext, Type: triage.ERPPostingFailure,
		Text: text, OccurredAt: time.Date(2025, 5, 30, 0, 0, 0, 0, time.UTC), Amount: &amt, Currency: "USD"}})
	if err != nil {
		t.Fatal(err)
	}
	return subs[0]
}

func TestSubmitAutoEnrichesAClearCase(t *testing.T) {
	svc, st := setup(t)
	sub := submitOne(t, svc, "e1", "NetSuite posting rejected: GL account mapping missing for SKU PLAN-99 in entity US01")
	d := sub.Decision
	if d == nil || d.RootCause != "missing_gl_mapping" || d.Outcome != triage.OutcomeAuto {
		t.Fatalf("decision = %+v", d)
	}
	if sub.Exception.Status != triage.StatusAutoEnriched || sub.Exception.Enrichment["action"] != "add_gl_mapping" {
		t.Errorf("exception = %+v", sub.Exception)
	}
	if len(d.Neighbors) != 10 || d.Neighbors[0].RootCause != "missing_gl_mapping" || d.PolicyVersion == "" || d.Embedder == "" {
		t.Errorf("explanation incomplete: %d neighbours, policy %q, embedder %q", len(d.Neighbors), d.PolicyVersion, d.Embedder)
	}
	if d.Params["gl_account"] != "4010" {
		t.Errorf("params %v", d.Params)
	}
	audit, _ := st.Audit(context.Background(), sub.Exception.ID)
	var actions []string
	for _, a := range audit {
		actions = append(actions, a.Action)
	}
	if got := strings.Join(actions, ","); got != "received,decided,enriched" {
		t.Errorf("audit actions %s", got)
	}
	again := submitOne(t, svc, "e1", "NetSuite posting rejected: GL account mapping missing for SKU PLAN-99 in entity US01")
	if again.Created || again.Exception.ID != sub.Exception.ID || again.Decision == nil || again.Decision.ID != d.ID {
		t.Errorf("repeat submission was not idempotent: %+v", again)
	}
}

func TestVagueCaseIsQueuedAndAHumanResolutionJoinsTheHistory(t *testing.T) {
	svc, st := setup(t)
	ctx := context.Background()
	sub := submitOne(t, svc, "v1", "Customer not found in Dynamics when posting invoice INV-7781")
	if sub.Decision.Outcome != triage.OutcomeQueue || sub.Exception.Status != triage.StatusQueued || sub.Exception.Queue != triage.QueueFinance {
		t.Fatalf("unfamiliar case: %+v / %v", sub.Exception.Status, sub.Decision.Reasons)
	}
	page, err := st.Queue(ctx, triage.QueueQuery{Queue: triage.QueueFinance})
	if err != nil || len(page.Items) != 1 || page.Items[0].ID != sub.Exception.ID {
		t.Fatalf("queue = %+v, %v", page, err)
	}
	_, res, err := svc.Resolve(ctx, admin, sub.Exception.ID, triage.ResolutionInput{Verdict: triage.VerdictEdit,
		RootCause: "customer_not_in_erp", Action: "sync_customer_to_erp"})
	if err != nil {
		t.Fatal(err)
	}
	if res.ID == 0 || res.Embedder == "" {
		t.Errorf("resolution %+v", res)
	}
	page, _ = st.Queue(ctx, triage.QueueQuery{Queue: triage.QueueFinance})
	if len(page.Items) != 0 {
		t.Errorf("resolved item still queued")
	}
	next := submitOne(t, svc, "v2", "Customer not found in Dynamics when posting invoice INV-9912")
	if next.Decision.Neighbors[0].RootCause != "customer_not_in_erp" || next.Decision.Neighbors[0].ResolutionID != res.ID {
		t.Errorf("the new resolution is not the nearest precedent: %+v", next.Decision.Neighbors[0])
	}
	if _, _, err := svc.Resolve(ctx, admin, sub.Exception.ID, triage.ResolutionInput{Verdict: triage.VerdictReject}); triage.ErrorCode(err) != triage.ECONFLICT {
		t.Errorf("resolving twice: %v, want conflict", err)
	}
}

func TestResolveVerdicts(t *testing.T) {
	svc, _ := setup(t)
	ctx := context.Background()
	tests := []struct {
		in     triage.ResolutionInput
		status triage.Status
		rc     string
		code   string
	}{
		{triage.ResolutionInput{Verdict: triage.VerdictAccept}, triage.StatusResolved, "erp_timeout", ""},
		{triage.ResolutionInput{Verdict: triage.VerdictReject}, triage.StatusRejected, triage.RootCauseNotActionable, ""},
		{triage.ResolutionInput{Verdict: triage.VerdictEdit, RootCause: "x"}, "", "", triage.EINVALID},
		{triage.ResolutionInput{Verdict: "approve"}, "", "", triage.EINVALID},
	}
	for i, tc := range tests {
		sub := submitOne(t, svc, fmt.Sprint("r", i), "SAP connector timeout after 30s while posting invoice batch 77")
		ex, res, err := svc.Resolve(ctx, admin, sub.Exception.ID, tc.in)
		if tc.code != "" {
			if triage.ErrorCode(err) != tc.code {
				t.Errorf("%v: err %v, want %s", tc.in.Verdict, err, tc.code)
			}
			continue
		}
		if err != nil || ex.Status != tc.status || res.RootCause != tc.rc {
			t.Errorf("%v: status %s rc %s err %v", tc.in.Verdict, ex.Status, res.RootCause, err)
		}
	}
	if _, _, err := svc.Resolve(ctx, admin, 999999, triage.ResolutionInput{Verdict: triage.VerdictAccept}); triage.ErrorCode(err) != triage.ENOTFOUND {
		t.Errorf("unknown id: %v", err)
	}
}

func TestImportHistoryIsIdempotent(t *testing.T) {
	svc, st := setup(t)
	before, _ := st.ResolutionCount(context.Background())
	hist := []triage.Resolution{{ExternalID: "gl-1", Type: triage.ERPPostingFailure, Text: "dup", RootCause: "a", Action: "b",
		OccurredAt: time.Now(), ResolvedAt: time.Now()}}
	if err := svc.ImportHistory(context.Background(), hist); err != nil {
		t.Fatal(err)
	}
	after, _ := st.ResolutionCount(context.Background())
	if fmt.Sprint(before) != fmt.Sprint(after) {
		t.Errorf("re-import changed the history: %v → %v", before, after)
	}
}

func TestReassignMovesAnOpenItem(t *testing.T) {
	svc, st := setup(t)
	ctx := context.Background()
	sub := submitOne(t, svc, "m1", "Customer not found in Dynamics when posting invoice INV-7781")
	ex, err := svc.Reassign(ctx, admin, sub.Exception.ID, triage.QueueTax, "VAT question really")
	if err != nil || ex.Queue != triage.QueueTax {
		t.Fatalf("reassign: %+v %v", ex, err)
	}
	page, _ := st.Queue(ctx, triage.QueueQuery{Queue: triage.QueueTax})
	if len(page.Items) != 1 {
		t.Errorf("tax queue has %d items", len(page.Items))
	}
	if _, err := svc.Reassign(ctx, admin, sub.Exception.ID, "legal", ""); triage.ErrorField(err) != "queue" {
		t.Errorf("bad queue: %v", err)
	}
	audit, _ := st.Audit(ctx, sub.Exception.ID)
	if last := audit[len(audit)-1]; last.Action != triage.AuditReassigned || last.Actor != admin.Actor() || last.Detail["to"] != "tax" {
		t.Errorf("audit %+v", last)
	}
	stats, err := st.Stats(ctx, time.Time{})
	if err != nil || stats.Received != 1 || stats.ManualTouchRate != 1 || len(stats.Queues) != 4 {
		t.Errorf("stats %+v %v", stats, err)
	}
}

package postgres_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
)

// alarmCase is one exception decided at a time, automatically or not.
type alarmCase struct {
	ext, source, invoice, customer string
	typ                            triage.Type
	auto                           bool
	conf                           float64
	at                             time.Time
	risk                           *triage.Risk
}

// decide stores c and its decision (root cause rc, action fix), as the
// service would, and returns the stored exception.
func decide(t *testing.T, st *postgres.Store, c alarmCase) triage.Exception {
	t.Helper()
	ctx := context.Background()
	ex := exception(c.ext, c.typ, 100)
	ex.Source, ex.InvoiceID, ex.CustomerID = c.source, c.invoice, c.customer
	created, err := st.CreateExceptions(ctx, []triage.Exception{ex})
	if err != nil {
		t.Fatal(err)
	}
	ex = created[0].Exception
	d := triage.Decision{ExceptionID: ex.ID, Outcome: triage.OutcomeQueue, AssignedQueue: triage.QueueFinance, DecidedAt: c.at,
		PolicyVersion: "p", ModelVersion: "m", Embedder: "test-emb",
		Suggestion: triage.Suggestion{RootCause: "rc", Action: "fix", Confidence: c.conf}, Risk: c.risk}
	ex.Status, ex.Queue = triage.StatusQueued, triage.QueueFinance
	if c.auto {
		d.Outcome, ex.Status = triage.OutcomeAuto, triage.StatusAutoEnriched
	}
	if _, err := st.SaveDecision(ctx, ex, d, nil); err != nil {
		t.Fatal(err)
	}
	return ex
}

// resolve closes ex with root cause rc and action fix-or-other.
func resolve(t *testing.T, st *postgres.Store, ex triage.Exception, rc, action string, at time.Time) {
	t.Helper()
	r := triage.Resolution{ExceptionID: &ex.ID, Type: ex.Type, Text: ex.Text, RootCause: rc, Action: action, Queue: triage.QueueFinance,
		Verdict: triage.VerdictEdit, ResolvedBy: "finance:fay", OccurredAt: ex.OccurredAt, ResolvedAt: at,
		Embedder: "test-emb", Vector: unit(rand.New(rand.NewPCG(uint64(ex.ID), 1)), 1, 0.1)}
	ex.Status = triage.StatusResolved
	if _, err := st.SaveResolution(context.Background(), ex, r, triage.AuditEntry{ExceptionID: ex.ID, At: at, Actor: "finance:fay", Action: triage.AuditResolved}); err != nil {
		t.Fatal(err)
	}
}

// TestVerdictsComeFromResolutionsRevertsAndFailedPostings checks the
// realised precision's verdicts: a resolution that agrees is right; one
// that disagrees, a revert, and a later failed posting of an ERP failure's
// invoice are wrong; an automated decision nobody judged has no verdict;
// queued decisions do not count.
func TestVerdictsComeFromResolutionsRevertsAndFailedPostings(t *testing.T) {
	_, st := setup(t)
	ctx := context.Background()
	now := time.Now().UTC()
	at := now.Add(-time.Hour)
	erp := triage.ERPPostingFailure
	agree := decide(t, st, alarmCase{ext: "agree", source: "erp", invoice: "INV-1", typ: erp, auto: true, conf: 0.95, at: at})
	resolve(t, st, agree, "rc", "fix", now)
	disagree := decide(t, st, alarmCase{ext: "disagree", source: "erp", invoice: "INV-2", typ: erp, auto: true, conf: 0.95, at: at})
	resolve(t, st, disagree, "other_cause", "fix", now)
	reverted := decide(t, st, alarmCase{ext: "reverted", source: "erp", invoice: "INV-3", typ: erp, auto: true, conf: 0.91, at: at})
	reverted.Status = triage.StatusQueued
	if err := st.Revert(ctx, reverted, nil, triage.AuditEntry{ExceptionID: reverted.ID, At: now, Actor: "finance:fay", Action: triage.AuditReverted}); err != nil {
		t.Fatal(err)
	}
	decide(t, st, alarmCase{ext: "failed-again", source: "erp", invoice: "INV-4", typ: erp, auto: true, conf: 0.97, at: at})
	if err := st.RecordPosting(ctx, triage.Posting{ID: "P-2", InvoiceID: "INV-4", Status: triage.PostingFailed, Error: "period closed", OccurredAt: now}, 0); err != nil {
		t.Fatal(err)
	}
	decide(t, st, alarmCase{ext: "unjudged", source: "erp", invoice: "INV-5", typ: erp, auto: true, conf: 0.9, at: at})
	queued := decide(t, st, alarmCase{ext: "queued", source: "erp", invoice: "INV-6", typ: erp, conf: 0.4, at: at})
	resolve(t, st, queued, "other_cause", "fix", now)

	week := triage.WeekStart(at)
	facts, err := st.AlarmFacts(ctx, triage.AlarmQuery{From: week, To: now.Add(time.Minute), RefFrom: week.AddDate(0, 0, -28), LateAfterDays: 30, MaxIDs: 100})
	if err != nil {
		t.Fatal(err)
	}
	f := factsOf(t, facts, erp)
	if f.Decisions != 6 || f.Automated != 5 || f.Verdicts != 4 || f.Correct != 1 {
		t.Errorf("decisions %d, automated %d, verdicts %d, correct %d; want 6, 5, 4, 1", f.Decisions, f.Automated, f.Verdicts, f.Correct)
	}
	if got := f.Confidence[9] + f.Confidence[4]; got != 6 || f.Confidence[4] != 1 {
		t.Errorf("confidence bins %v, want five in bin 9 and one in bin 4", f.Confidence)
	}
	correct, total, err := st.RecentVerdicts(ctx, erp, 3, time.Time{})
	if err != nil || total != 3 || correct != 0 {
		t.Errorf("last 3 verdicts: %d of %d right (%v), want 0 of 3: the newest three verdicts are all wrong", correct, total, err)
	}
	if correct, total, _ := st.RecentVerdicts(ctx, erp, 10, now); total != 0 || correct != 0 {
		t.Errorf("verdicts on decisions since now: %d of %d, want none", correct, total)
	}
}

// TestInputAlarmFacts checks new sources and root causes are those the
// week brings and earlier weeks never had, and that identifiers are split
// between the week and its reference window.
func TestInputAlarmFacts(t *testing.T) {
	db, st := setup(t)
	ctx := context.Background()
	now := time.Now().UTC()
	week := triage.WeekStart(now)
	old := week.AddDate(0, 0, -10)
	tax := triage.TaxInconsistency
	// Earlier weeks: one source, one root cause. created_at is the time of
	// receipt, so the earlier items are backdated in the database.
	early := decide(t, st, alarmCase{ext: "early", source: "avalara", invoice: "INV-2025-00001", customer: "C-100", typ: tax, at: old})
	if _, err := db.Pool.Exec(ctx, `UPDATE exceptions SET created_at = $2 WHERE id = $1`, early.ID, old); err != nil {
		t.Fatal(err)
	}
	resolve(t, st, early, "missing_tax_id", "request_tax_id", old)
	late := decide(t, st, alarmCase{ext: "late", source: "vertex", invoice: "inv_9f3a2b", customer: "C-200", typ: tax, at: now})
	resolve(t, st, late, "wrong_jurisdiction", "correct_tax_jurisdiction", now)
	same := decide(t, st, alarmCase{ext: "same", source: "avalara", invoice: "INV-2025-00002", customer: "C-300", typ: tax, at: now})
	resolve(t, st, same, "missing_tax_id", "request_tax_id", now)

	facts, err := st.AlarmFacts(ctx, triage.AlarmQuery{From: week, To: now.Add(time.Minute), RefFrom: week.AddDate(0, 0, -28), LateAfterDays: 30, MaxIDs: 100})
	if err != nil {
		t.Fatal(err)
	}
	f := factsOf(t, facts, tax)
	if !slices.Equal(f.NewSources, []string{"vertex"}) || !slices.Equal(f.NewRootCauses, []string{"wrong_jurisdiction"}) {
		t.Errorf("new sources %v, new root causes %v; want [vertex], [wrong_jurisdiction]", f.NewSources, f.NewRootCauses)
	}
	slices.Sort(f.IDs)
	slices.Sort(f.RefIDs)
	if !slices.Equal(f.RefIDs, []string{"C-100", "INV-2025-00001"}) || len(f.IDs) != 4 {
		t.Errorf("ids %v, reference ids %v", f.IDs, f.RefIDs)
	}
	if share, n := triage.UnseenShareOfShapes(f.IDs, f.RefIDs); n != 4 || share != 0.25 {
		t.Errorf("unseen shapes %.2f of %d, want inv_9f3a2b alone (0.25 of 4)", share, n)
	}
}

func factsOf(t *testing.T, facts []triage.AlarmFacts, typ triage.Type) triage.AlarmFacts {
	t.Helper()
	for _, f := range facts {
		if f.Type == typ {
			return f
		}
	}
	t.Fatalf("no facts for %s in %+v", typ, facts)
	return triage.AlarmFacts{}
}

// TestRiskOutcomesAreThoseKnownInTheWindow checks the calibration pairs
// each invoice whose outcome became known in the window (paid in time, or
// not within the late limit) with the risk its latest decision before then
// predicted, and leaves out outcomes known later and risks that were
// certain when scored.
func TestRiskOutcomesAreThoseKnownInTheWindow(t *testing.T) {
	_, st := setup(t)
	ctx := context.Background()
	now := time.Now().UTC()
	day := 24 * time.Hour
	paid := func(d time.Duration) *time.Time { at := now.Add(-d); return &at }
	invs := []triage.Invoice{
		{InvoiceID: "A", CustomerID: "C1", IssuedAt: now.Add(-70 * day), DueAt: now.Add(-40 * day), Amount: 10, Currency: "USD"},                        // late, known 10 days ago
		{InvoiceID: "B", CustomerID: "C1", IssuedAt: now.Add(-50 * day), DueAt: now.Add(-20 * day), Amount: 10, Currency: "USD", PaidAt: paid(5 * day)}, // on time, paid 5 days ago
		{InvoiceID: "C", CustomerID: "C1", IssuedAt: now.Add(-35 * day), DueAt: now.Add(-5 * day), Amount: 10, Currency: "USD"},                         // not known yet
		{InvoiceID: "D", CustomerID: "C1", IssuedAt: now.Add(-40 * day), DueAt: now.Add(-10 * day), Amount: 10, Currency: "USD", PaidAt: paid(3 * day)}, // known, but its risk was certain
	}
	if err := st.UpsertInvoices(ctx, invs); err != nil {
		t.Fatal(err)
	}
	risk := func(p float64, known bool) *triage.Risk {
		return &triage.Risk{Probability: p, ModelVersion: "r1", Known: known}
	}
	decide(t, st, alarmCase{ext: "a-old", invoice: "A", typ: triage.BillingDispute, at: now.Add(-60 * day), risk: risk(0.2, false)})
	decide(t, st, alarmCase{ext: "a", invoice: "A", typ: triage.BillingDispute, at: now.Add(-50 * day), risk: risk(0.8, false)})
	decide(t, st, alarmCase{ext: "b", invoice: "B", typ: triage.BillingDispute, at: now.Add(-25 * day), risk: risk(0.3, false)})
	decide(t, st, alarmCase{ext: "c", invoice: "C", typ: triage.BillingDispute, at: now.Add(-6 * day), risk: risk(0.9, false)})
	decide(t, st, alarmCase{ext: "d", invoice: "D", typ: triage.BillingDispute, at: now.Add(-8 * day), risk: risk(1, true)})
	facts, err := st.AlarmFacts(ctx, triage.AlarmQuery{From: now.Add(-14 * day), To: now, RefFrom: now.Add(-42 * day), LateAfterDays: 30, MaxIDs: 10})
	if err != nil {
		t.Fatal(err)
	}
	got := factsOf(t, facts, triage.BillingDispute).Risk
	slices.SortFunc(got, func(a, b triage.RiskOutcome) int { return int(100*a.Predicted) - int(100*b.Predicted) })
	want := []triage.RiskOutcome{{Predicted: 0.3, Late: false}, {Predicted: 0.8, Late: true}}
	if !slices.Equal(got, want) {
		t.Errorf("risk outcomes %+v, want %+v", got, want)
	}
}

// TestServiceRoleCannotRewriteTheAlertLog: who raised, acknowledged,
// paused and resumed what is history; the service's role appends it and
// reads it, nothing else.
func TestServiceRoleCannotRewriteTheAlertLog(t *testing.T) {
	db, _ := serviceRole(t)
	ctx := context.Background()
	st := postgres.NewStore(db)
	now := time.Now().UTC()
	a, err := st.RaiseAlert(ctx, triage.Alert{Type: triage.Other, Kind: triage.KindNewSources, Week: triage.WeekLabel(now), Value: 2,
		Message: "other: 2 new sources", RaisedAt: now, UpdatedAt: now},
		triage.Event{ID: "msg_roles", Type: triage.EventAlertRaised, At: now, Data: triage.EventData{Actor: "system"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ChangeAlert(ctx, a.ID, triage.AlertAcknowledged, "admin:ada", now); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`DELETE FROM alert_log`,
		`UPDATE alert_log SET actor = 'nobody'`,
		`TRUNCATE alert_log`,
		`ALTER TABLE alert_log DISABLE TRIGGER ALL`,
		`DELETE FROM alerts`,
	} {
		if _, err := db.Pool.Exec(ctx, q); err == nil || !strings.Contains(err.Error(), "SQLSTATE 42501") {
			t.Errorf("%s: %v; want a privilege error (SQLSTATE 42501)", q, err)
		}
	}
	_, log, err := st.Alert(ctx, a.ID)
	if err != nil || len(log) != 2 || log[1].Actor != "admin:ada" || log[1].Action != triage.AlertAcknowledge {
		t.Errorf("alert log changed: %+v, %v", log, err)
	}
	// A second active alert of the same type and kind is refused: two
	// replicas' checks cannot both raise it.
	if _, err := st.RaiseAlert(ctx, a, triage.Event{ID: "msg_roles_2", Type: triage.EventAlertRaised, At: now}); triage.ErrorCode(err) != triage.ECONFLICT {
		t.Errorf("a second active alert: %v, want conflict", err)
	}
}

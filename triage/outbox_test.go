package triage_test

import (
	"context"
	"testing"
	"time"

	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
)

// outboxOf counts an exception's events and the River jobs that dispatch
// them.
func outboxOf(t *testing.T, db *postgres.DB, id int64) (events, jobs int) {
	t.Helper()
	err := db.Pool.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM events WHERE exception_id = $1),
		(SELECT count(*) FROM river_job j JOIN events e ON e.id = j.args->>'event_id'
			WHERE j.kind = 'event.dispatch' AND e.exception_id = $1)`, id).Scan(&events, &jobs)
	if err != nil {
		t.Fatal(err)
	}
	return events, jobs
}

// TestEveryChangeCommitsWithItsEvent: each change to an exception records
// one event and one dispatch job in its own transaction, and a change that
// rolls back (here, 20 concurrent triages of one item, of which one
// stands) leaves neither.
func TestEveryChangeCommitsWithItsEvent(t *testing.T) {
	svc, _, db := setupDB(t)
	ctx := context.Background()
	done := make(chan error, 20)
	for range 20 {
		go func() {
			_, err := svc.Submit(ctx, admin, []triage.Exception{vague("outbox-1")})
			done <- err
		}()
	}
	for range 20 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	sub := submitOne(t, svc, "outbox-1", vague("outbox-1").Text)
	id := sub.Exception.ID
	if events, jobs := outboxOf(t, db, id); events != 1 || jobs != 1 {
		t.Fatalf("after the decision: %d events, %d dispatch jobs; want 1 and 1", events, jobs)
	}
	if _, err := svc.Reassign(ctx, admin, id, triage.QueueTax, "tax question"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Resolve(ctx, admin, id, triage.ResolutionInput{Verdict: triage.VerdictReject}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Resolve(ctx, admin, id, triage.ResolutionInput{Verdict: triage.VerdictReject}); triage.ErrorCode(err) != triage.ECONFLICT {
		t.Fatalf("second resolve: %v", err)
	}
	if events, jobs := outboxOf(t, db, id); events != 3 || jobs != 3 {
		t.Errorf("after reassign, reject and a refused second reject: %d events, %d jobs; want 3 and 3", events, jobs)
	}
	var types []string
	rows, err := db.Pool.Query(ctx, `SELECT type FROM events WHERE exception_id = $1 ORDER BY at`, id)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		_ = rows.Scan(&s)
		types = append(types, s)
	}
	if len(types) != 3 || types[0] != string(triage.EventQueued) || types[1] != string(triage.EventQueued) || types[2] != string(triage.EventRejected) {
		t.Errorf("event types %v", types)
	}
}

func TestAutoEnrichmentEventSaysWhereItsParametersCameFrom(t *testing.T) {
	svc, st, db := setupDB(t)
	sub := submitOne(t, svc, "auto-ev", "NetSuite posting rejected: GL account mapping missing for SKU PLAN-99 in entity US01")
	if sub.Exception.Status != triage.StatusAutoEnriched {
		t.Fatalf("fixture: %s", sub.Exception.Status)
	}
	var evID string
	if err := db.Pool.QueryRow(context.Background(), `SELECT id FROM events WHERE exception_id = $1`, sub.Exception.ID).Scan(&evID); err != nil {
		t.Fatal(err)
	}
	ev, err := st.Event(context.Background(), evID)
	if err != nil {
		t.Fatal(err)
	}
	d := ev.Data
	if ev.Type != triage.EventAutoEnriched || d.Action != "add_gl_mapping" || d.Params["gl_account"] != "4010" ||
		d.ParamsFrom == "" || d.PolicyVersion == "" || d.Actor != triage.SystemActor || ev.At.After(time.Now()) {
		t.Errorf("event %+v", ev)
	}
}

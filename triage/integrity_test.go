package triage_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
)

// decisionsOf counts an exception's decisions and its decided audit rows.
func decisionsOf(t *testing.T, db *postgres.DB, id int64) (decisions, decided int) {
	t.Helper()
	err := db.Pool.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM decisions WHERE exception_id = $1),
		(SELECT count(*) FROM audit_log WHERE exception_id = $1 AND action = 'decided')`, id).Scan(&decisions, &decided)
	if err != nil {
		t.Fatal(err)
	}
	return decisions, decided
}

// forceStatus writes a status straight into the table, as a bug or a
// hand-written statement could.
func forceStatus(db *postgres.DB, id int64, to triage.Status) error {
	_, err := db.Pool.Exec(context.Background(), `UPDATE exceptions SET status = $2 WHERE id = $1`, id, to)
	return err
}

func TestConcurrentRepeatsAreDecidedOnce(t *testing.T) {
	svc, _, db := setupDB(t)
	ctx := context.Background()
	const clients = 50
	var wg sync.WaitGroup
	ids := make(chan int64, clients)
	errs := make(chan error, clients)
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			subs, err := svc.Submit(ctx, admin, []triage.Exception{vague("same-1")})
			if err != nil {
				errs <- err
				return
			}
			if subs[0].Decision == nil {
				errs <- fmt.Errorf("no decision in %+v", subs[0])
				return
			}
			ids <- subs[0].Decision.ID
		}()
	}
	wg.Wait()
	close(ids)
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	seen := map[int64]bool{}
	for id := range ids {
		seen[id] = true
	}
	page, err := svc.Queue(ctx, admin, triage.QueueQuery{Queue: triage.QueueFinance})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("queue: %+v, %v", page.Items, err)
	}
	if n, decided := decisionsOf(t, db, page.Items[0].ID); n != 1 || decided != 1 || len(seen) != 1 {
		t.Errorf("%d decisions, %d decided audit rows, %d decision ids answered; want 1 each", n, decided, len(seen))
	}
}

func TestABatchRepeatingAnIDIsDecidedOnce(t *testing.T) {
	svc, _, db := setupDB(t)
	batch := make([]triage.Exception, 10)
	for i := range batch {
		batch[i] = vague("dup-in-batch")
	}
	subs, err := svc.Submit(context.Background(), admin, batch)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range subs {
		if s.Exception.ID != subs[0].Exception.ID || s.Decision == nil || s.Decision.ID != subs[0].Decision.ID {
			t.Fatalf("results differ: %+v", s)
		}
	}
	if n, decided := decisionsOf(t, db, subs[0].Exception.ID); n != 1 || decided != 1 {
		t.Errorf("%d decisions, %d decided audit rows; want 1 each", n, decided)
	}
}

// TestALateTriageCannotReopen replays what a slow duplicate request does
// after a person rejected the item: it decides the copy it read while the
// item was still received. The rejection must stand.
func TestALateTriageCannotReopen(t *testing.T) {
	svc, st, db := setupDB(t)
	ctx := context.Background()
	stale, err := st.CreateExceptions(ctx, []triage.Exception{withHash(vague("late-1"))})
	if err != nil {
		t.Fatal(err)
	}
	subs, err := svc.Submit(ctx, admin, []triage.Exception{vague("late-1")})
	if err != nil {
		t.Fatal(err)
	}
	id := subs[0].Exception.ID
	if _, _, err := svc.Resolve(ctx, admin, id, triage.ResolutionInput{Verdict: triage.VerdictReject}); err != nil {
		t.Fatal(err)
	}
	vecs, err := svc.Embedder().Embed(ctx, []string{stale[0].Exception.Text})
	if err != nil {
		t.Fatal(err)
	}
	ex, d, err := svc.Triage(ctx, stale[0].Exception, stale[0].Exception.Text, vecs[0])
	if err != nil {
		t.Fatal(err)
	}
	if ex.Status != triage.StatusRejected || d.ID != subs[0].Decision.ID {
		t.Errorf("late triage answered %s with decision %d, want rejected with %d", ex.Status, d.ID, subs[0].Decision.ID)
	}
	if n, decided := decisionsOf(t, db, id); n != 1 || decided != 1 {
		t.Errorf("%d decisions, %d decided audit rows; want 1 each", n, decided)
	}
	if _, _, err := svc.Resolve(ctx, admin, id, triage.ResolutionInput{Verdict: triage.VerdictAccept}); triage.ErrorCode(err) != triage.ECONFLICT {
		t.Errorf("resolving the rejected item again: %v", err)
	}
}

// withHash fingerprints ex as Submit does before storing.
func withHash(ex triage.Exception) triage.Exception {
	ex.Status, ex.ContentHash = triage.StatusReceived, ex.Fingerprint()
	return ex
}

func TestTheDatabaseKeepsStatusesMovingForward(t *testing.T) {
	svc, _, db := setupDB(t)
	ctx := context.Background()
	sub := submitOne(t, svc, "fwd-1", vague("fwd-1").Text)
	if _, _, err := svc.Resolve(ctx, admin, sub.Exception.ID, triage.ResolutionInput{Verdict: triage.VerdictReject}); err != nil {
		t.Fatal(err)
	}
	for _, to := range []triage.Status{triage.StatusQueued, triage.StatusReceived, triage.StatusResolved} {
		if err := forceStatus(db, sub.Exception.ID, to); err == nil || !strings.Contains(err.Error(), "BT001") {
			t.Errorf("rejected → %s: %v, want conflict", to, err)
		}
	}
	queued := submitOne(t, svc, "fwd-2", vague("fwd-2").Text)
	if err := forceStatus(db, queued.Exception.ID, triage.StatusReceived); err == nil || !strings.Contains(err.Error(), "BT001") {
		t.Errorf("queued → received: %v, want conflict", err)
	}
}

func TestARepeatWithOtherContentIsRefusedAndChangesNothing(t *testing.T) {
	svc, _ := setup(t)
	ctx := context.Background()
	support := triage.Principal{KeyID: 3, Name: "sam", Role: triage.RoleSupport}
	finance := triage.Principal{KeyID: 4, Name: "fin", Role: triage.RoleFinance}
	squat := triage.Exception{Source: "erp-connector", ExternalID: "EXC-900001", Type: triage.BillingDispute,
		Text: "please refund me", OccurredAt: vague("x").OccurredAt}
	first, err := svc.Submit(ctx, support, []triage.Exception{squat})
	if err != nil {
		t.Fatal(err)
	}
	real := vague("EXC-900001")
	real.Source = "erp-connector"
	amt := 250000.0
	real.Amount = &amt
	_, err = svc.Submit(ctx, finance, []triage.Exception{vague("other-item"), real})
	if triage.ErrorCode(err) != triage.ECONFLICT || triage.ErrorField(err) != "exceptions[1].id" {
		t.Fatalf("the real record under a squatted id: %v (field %q), want conflict on exceptions[1].id", err, triage.ErrorField(err))
	}
	stored, err := svc.Exception(ctx, admin, first[0].Exception.ID)
	if err != nil || stored.Exception.Text != squat.Text || stored.Exception.Amount != nil {
		t.Errorf("the stored record changed: %+v, %v", stored.Exception, err)
	}
	if page, _ := svc.Queue(ctx, admin, triage.QueueQuery{Queue: triage.QueueFinance}); len(page.Items) != 0 {
		t.Errorf("a refused batch stored %d items", len(page.Items))
	}
	pol := triage.DefaultPolicy()
	pol.SourceWriters = map[string][]triage.Role{"erp-connector": {triage.RoleFinance}}
	activate(t, svc, pol)
	squat.ExternalID = "EXC-900002"
	if _, err := svc.Submit(ctx, support, []triage.Exception{squat}); triage.ErrorCode(err) != triage.EFORBIDDEN || triage.ErrorField(err) != "source" {
		t.Errorf("support writing a reserved source: %v (field %q)", err, triage.ErrorField(err))
	}
	real.ExternalID = "EXC-900002"
	if _, err := svc.Submit(ctx, finance, []triage.Exception{real}); err != nil {
		t.Errorf("finance writing its reserved source: %v", err)
	}
}

// TestTheSweepTriagesWhatWasLeftBehind stores exceptions as a crash would
// leave them (accepted, never decided) and sweeps twice at once, as two
// replicas would: each is decided exactly once, and nothing recent is
// taken from a request still deciding it.
func TestTheSweepTriagesWhatWasLeftBehind(t *testing.T) {
	svc, st, db := setupDB(t)
	ctx := context.Background()
	var left []triage.Exception
	for i := range 7 {
		left = append(left, withHash(vague(fmt.Sprint("left-", i))))
	}
	created, err := st.CreateExceptions(ctx, left)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := svc.Sweep(ctx, time.Hour, 100); err != nil || n != 0 {
		t.Fatalf("a sweep took %d recent rows (%v)", n, err)
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE exceptions SET updated_at = now() - interval '1 minute'`); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	counts := make([]int, 2)
	for r := range counts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n, err := svc.Sweep(ctx, 30*time.Second, 2)
				if err != nil {
					t.Error(err)
				}
				if counts[r] += n; n == 0 || err != nil {
					return
				}
			}
		}()
	}
	wg.Wait()
	if counts[0]+counts[1] != len(left) {
		t.Errorf("swept %v, want %d in all", counts, len(left))
	}
	for _, c := range created {
		d, err := svc.Exception(ctx, admin, c.Exception.ID)
		if err != nil || d.Exception.Status != triage.StatusQueued || d.Decision == nil {
			t.Errorf("%d after the sweep: %+v, %v", c.Exception.ID, d.Exception.Status, err)
		}
		if n, decided := decisionsOf(t, db, c.Exception.ID); n != 1 || decided != 1 {
			t.Errorf("%d: %d decisions, %d decided audit rows", c.Exception.ID, n, decided)
		}
	}
}

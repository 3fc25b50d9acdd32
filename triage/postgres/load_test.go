package postgres_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
)

// history returns n imported resolutions with ids from first on, near
// axis i%4 of the test embedder; every tenth carries a correction.
func history(r *rand.Rand, first, n int) []triage.Resolution {
	rs := make([]triage.Resolution, n)
	for i := range rs {
		id := first + i
		rs[i] = triage.Resolution{ExternalID: fmt.Sprintf("h-%d", id), Type: triage.UsageMismatch, Text: "t",
			RootCause: fmt.Sprintf("rc%d", id%4), Action: "act", Queue: triage.QueueRevOps, Verdict: triage.VerdictImported,
			OccurredAt: time.Unix(0, 0), ResolvedAt: time.Unix(int64(id), 0), Embedder: "test-emb", Vector: unit(r, id%4, 0.3)}
		if id%10 == 0 {
			rs[i].Corrections = []triage.Correction{{Field: "sku", Key: fmt.Sprintf("SKU-%d", id), From: "", To: "GL-1"}}
		}
	}
	return rs
}

// hnswIndexes counts the HNSW indexes of the test's schema.
func hnswIndexes(t *testing.T, db *postgres.DB) int {
	t.Helper()
	var n int
	// From the catalog rather than pg_indexes, whose pg_get_indexdef may
	// be called on another test's index while that test drops its schema.
	err := db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM pg_index i
		JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
		WHERE i.indrelid = 'resolutions'::regclass AND a.amname = 'hnsw'`).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// load runs one bulk load of rs in batches of batch rows and returns the
// rows added and the report.
func load(t *testing.T, st *postgres.Store, db *postgres.DB, rs []triage.Resolution, batch int, during func()) (int, triage.LoadReport) {
	t.Helper()
	ctx := context.Background()
	l, err := st.BeginHistoryLoad(ctx, triage.HistoryLoadPlan{Embedder: "test-emb", Dims: dims, Rows: len(rs)})
	if err != nil {
		t.Fatal(err)
	}
	if during != nil {
		during()
	}
	added := 0
	for start := 0; start < len(rs); start += batch {
		n, err := l.Add(ctx, rs[start:min(start+batch, len(rs))])
		if err != nil {
			t.Fatal(err)
		}
		added += n
	}
	rep, err := l.Finish(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return added, rep
}

func count(t *testing.T, db *postgres.DB, table string) int {
	t.Helper()
	var n int
	if err := db.Pool.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A bulk load into an empty history sets the index aside and builds it at
// the end: afterwards the index is there, the planner uses it, kNN finds
// the loaded rows and their corrections are in the memory.
func TestLoadBulkRebuildsTheIndex(t *testing.T) {
	db, st := setup(t)
	ctx := context.Background()
	rs := history(rand.New(rand.NewPCG(1, 2)), 0, 3000)
	added, rep := load(t, st, db, rs, 1000, func() {
		if n := hnswIndexes(t, db); n != 0 {
			t.Errorf("%d HNSW indexes during a bulk load into an empty history, want the index set aside", n)
		}
	})
	if added != 3000 || !rep.IndexRebuilt {
		t.Errorf("added %d (want 3000), rebuilt %v (want true): %s", added, rep.IndexRebuilt, rep.IndexNote)
	}
	if n := hnswIndexes(t, db); n != len(triage.Types) {
		t.Fatalf("%d HNSW indexes after the load, want one per type", n)
	}
	got, err := st.Nearest(ctx, triage.NearestQuery{Vector: unit(rand.New(rand.NewPCG(3, 4)), 2, 0.05), Embedder: "test-emb", K: 10})
	if err != nil || len(got) != 10 {
		t.Fatalf("Nearest = %d rows, %v; want 10", len(got), err)
	}
	for _, n := range got {
		if n.RootCause != "rc2" {
			t.Errorf("neighbour %s has root cause %s, want rc2", n.ExternalID, n.RootCause)
		}
	}
	ev, err := st.Evidence(ctx, "sku", "SKU-2990")
	if err != nil || len(ev) != 1 || ev[0].To != "GL-1" {
		t.Errorf("evidence of a loaded correction = %+v, %v", ev, err)
	}
	checkPlanUsesHNSW(t, db, triage.UsageMismatch)
}

// A small load into a bigger history goes into the live index: it is
// never dropped, so triage keeps its index throughout.
func TestLoadIncrementalKeepsTheIndex(t *testing.T) {
	db, st := setup(t)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(5, 6))
	load(t, st, db, history(r, 0, 2000), 1000, nil)
	for _, size := range []int{1500, 10} { // under the history's size; under the bulk minimum
		first := 10000 * size
		added, rep := load(t, st, db, history(r, first, size), 500, func() {
			if n := hnswIndexes(t, db); n != len(triage.Types) {
				t.Errorf("%d HNSW indexes during a load of %d rows into 2000, want the live indexes kept", n, size)
			}
		})
		if added != size || rep.IndexRebuilt {
			t.Errorf("load of %d: added %d, rebuilt %v (%s)", size, added, rep.IndexRebuilt, rep.IndexNote)
		}
		got, err := st.Nearest(ctx, triage.NearestQuery{Vector: unit(r, 1, 0.1), Embedder: "test-emb", K: 10})
		if err != nil || len(got) != 10 {
			t.Fatalf("Nearest: %d rows, %v; want 10", len(got), err)
		}
	}
	if n := hnswIndexes(t, db); n != len(triage.Types) {
		t.Errorf("%d HNSW indexes after incremental loads, want one per type", n)
	}
}

// Loading the same rows again adds none of them and none of their
// corrections.
func TestLoadAgainAddsNothing(t *testing.T) {
	db, st := setup(t)
	rs := history(rand.New(rand.NewPCG(7, 8)), 0, 1200)
	if added, _ := load(t, st, db, rs, 500, nil); added != 1200 {
		t.Fatalf("first load added %d, want 1200", added)
	}
	resolutions, corrections := count(t, db, "resolutions"), count(t, db, "corrections")
	// A reload with one new row in the middle adds that row alone.
	again := append(history(rand.New(rand.NewPCG(7, 8)), 0, 600), history(rand.New(rand.NewPCG(9, 9)), 5000, 1)...)
	again = append(again, history(rand.New(rand.NewPCG(7, 8)), 600, 600)...)
	if added, _ := load(t, st, db, again, 500, nil); added != 1 {
		t.Errorf("reload added %d, want 1 (the new row)", added)
	}
	if r, c := count(t, db, "resolutions"), count(t, db, "corrections"); r != resolutions+1 || c != corrections+1 {
		t.Errorf("after the reload %d resolutions and %d corrections, want %d and %d", r, c, resolutions+1, corrections+1)
	}
	if n := hnswIndexes(t, db); n != len(triage.Types) {
		t.Errorf("%d HNSW indexes, want one per type", n)
	}
}

package postgres_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"

	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
)

// typedHistory returns imported resolutions of every type in uneven
// numbers, other being rare, each type near its own axis with wide noise
// so that types overlap and many rows are near-equidistant.
func typedHistory(r *rand.Rand) []triage.Resolution {
	sizes := map[triage.Type]int{triage.UsageMismatch: 1200, triage.PricingDiscrepancy: 800, triage.ERPPostingFailure: 500,
		triage.TaxInconsistency: 300, triage.BillingDispute: 150, triage.Other: 25}
	var rs []triage.Resolution
	for axis, typ := range triage.Types {
		for i := range sizes[typ] {
			id := len(rs)
			rs = append(rs, triage.Resolution{ExternalID: fmt.Sprintf("h-%d", id), Type: typ, Text: "t",
				RootCause: fmt.Sprintf("rc%d", i%3), Action: "act", Queue: triage.QueueRevOps, Verdict: triage.VerdictImported,
				OccurredAt: time.Unix(0, 0), ResolvedAt: time.Unix(int64(id), 0), Embedder: "test-emb", Vector: unit(r, axis, 0.6)})
		}
	}
	r.Shuffle(len(rs), func(i, j int) { rs[i], rs[j] = rs[j], rs[i] })
	return rs
}

// exactIDs is an exact search of the same rows Nearest reads, ordered as
// Nearest orders (similarity, then id), with no index scan allowed.
func exactIDs(t *testing.T, db *postgres.DB, q triage.NearestQuery) []int64 {
	t.Helper()
	ctx := context.Background()
	var ids []int64
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SET LOCAL enable_indexscan = off`); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT id FROM resolutions WHERE embedder = $1 AND ($2 = '' OR type = $2)
			ORDER BY embedding::vector(16) <=> $3::vector(16), id LIMIT $4`, q.Embedder, string(q.Type), pgvector.NewVector(q.Vector), q.K)
		if err != nil {
			return err
		}
		ids, err = pgx.CollectRows(rows, pgx.RowTo[int64])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// After a bulk load (which sets the indexes aside and builds them again),
// Nearest reads a per-type index for a large type and answers as an exact
// search does, for every type, the rare one included, for queries far
// from the type's region, and for all types at once.
func TestNearestMatchesExactSearchAcrossTypes(t *testing.T) {
	db, st := setup(t)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(5, 6))
	if added, rep := load(t, st, db, typedHistory(r), 1000, nil); added != 2975 || !rep.IndexRebuilt {
		t.Fatalf("added %d, rebuilt %v: %s", added, rep.IndexRebuilt, rep.IndexNote)
	}
	if n := hnswIndexes(t, db); n != len(triage.Types) {
		t.Fatalf("%d HNSW indexes after the load, want one per type", n)
	}
	checkPlanUsesHNSW(t, db, triage.UsageMismatch)

	var hits, want int
	for axis := range triage.Types {
		for _, under := range append([]triage.Type{""}, triage.Types...) {
			for range 3 {
				q := triage.NearestQuery{Vector: unit(r, axis, 0.6), Embedder: "test-emb", Type: under, K: 10}
				got, err := st.Nearest(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				exact := exactIDs(t, db, q)
				if len(got) != len(exact) {
					t.Fatalf("%s query near axis %d: %d neighbours, exact search has %d", under, axis, len(got), len(exact))
				}
				in := map[int64]bool{}
				for _, id := range exact {
					in[id] = true
				}
				for i, n := range got {
					if under != "" && n.Type != under {
						t.Errorf("neighbour %d of a %s query has type %s", i, under, n.Type)
					}
					if in[n.ResolutionID] {
						hits++
					} else if under == triage.Other {
						// 25 rows: the graph search visits them all.
						t.Errorf("rare type: neighbour %d (id %d) is not in the exact top %d %v", i, n.ResolutionID, q.K, exact)
					}
				}
				want += len(exact)
			}
		}
	}
	// HNSW is approximate; on graphs this small ef_search = 100 finds
	// nearly all, and a bound below 1 keeps a rare miss from failing.
	if recall := float64(hits) / float64(want); recall < 0.97 {
		t.Errorf("recall against exact search %.3f (%d of %d), want ≥ 0.97", recall, hits, want)
	}
}

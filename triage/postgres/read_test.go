package postgres_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
	"github.com/billtriage/billtriage/triage/postgres/pgtest"
)

// A standby that cannot be reached costs the lag-tolerant reads nothing
// but a fallback: the primary answers them, and the fallbacks are counted.
func TestLagTolerantReadsFallBackToThePrimary(t *testing.T) {
	db, st := setup(t)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(9, 10))
	if err := st.AddResolutions(ctx, typedHistory(r)[:200]); err != nil {
		t.Fatal(err)
	}
	// Nothing listens on port 1; connect_timeout keeps the attempt short.
	dead := "postgres://billtriage_app@127.0.0.1:1/billtriage?sslmode=disable&connect_timeout=2"
	rdb, err := postgres.Open(ctx, pgtest.URL(), postgres.Options{Schema: postgres.SchemaOf(db), ReadURL: dead})
	if err != nil {
		t.Fatalf("open with an unreachable standby: %v", err)
	}
	defer rdb.Close()
	rst := postgres.NewStore(rdb)
	cases := []struct {
		name string
		read func() error
	}{
		{"nearest", func() error {
			ns, err := rst.Nearest(ctx, triage.NearestQuery{Vector: unit(r, 0, 0.6), Embedder: "test-emb", Type: triage.UsageMismatch, K: 5})
			if err == nil && len(ns) != 5 {
				t.Errorf("nearest: %d neighbours from the primary, want 5", len(ns))
			}
			return err
		}},
		{"queue", func() error {
			_, err := rst.Queue(ctx, triage.QueueQuery{Queue: triage.QueueRevOps})
			return err
		}},
		{"stats", func() error {
			_, err := rst.Stats(ctx, time.Unix(0, 0))
			return err
		}},
	}
	for i, c := range cases {
		if err := c.read(); err != nil {
			t.Errorf("%s with the standby down: %v", c.name, err)
		}
		if got := rdb.ReadFallbacks.Load(); got != int64(i+1) {
			t.Errorf("%s: %d fallbacks counted, want %d", c.name, got, i+1)
		}
	}
}

// Without a standby every read goes to the primary and none is counted
// as a fallback.
func TestNoStandbyNoFallback(t *testing.T) {
	db, st := setup(t)
	if _, err := st.Nearest(context.Background(), triage.NearestQuery{Vector: unit(rand.New(rand.NewPCG(1, 2)), 0, 0.6), Embedder: "test-emb", K: 5}); err != nil {
		t.Fatal(err)
	}
	if db.Read != nil || db.ReadFallbacks.Load() != 0 {
		t.Errorf("read pool %v, fallbacks %d; want none", db.Read, db.ReadFallbacks.Load())
	}
}

package postgres_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/billtriage/billtriage/triage/postgres"
)

// TestPeriodicJobsRunOncePerCluster starts two runners on one schema, as
// two replicas would: the periodic sweep and KPI snapshot run on River's
// elected leader only, so each runs once at start, not once per replica.
func TestPeriodicJobsRunOncePerCluster(t *testing.T) {
	db, st := setup(t)
	ctx := context.Background()
	var sweeps atomic.Int64
	for range 2 {
		r, err := st.NewRunner(postgres.RunnerConfig{SweepEvery: time.Hour, SnapshotEvery: time.Hour,
			Sweep: func(context.Context) error { sweeps.Add(1); return nil }})
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = r.Stop(context.Background()) })
	}
	var snapshots int
	deadline := time.Now().Add(30 * time.Second)
	for (sweeps.Load() == 0 || snapshots == 0) && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
		if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM kpi_snapshots`).Scan(&snapshots); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(2 * time.Second) // room for a second replica's run, were there one
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM kpi_snapshots`).Scan(&snapshots); err != nil {
		t.Fatal(err)
	}
	if sweeps.Load() != 1 || snapshots != 1 {
		t.Errorf("%d sweeps and %d snapshots at start; want 1 and 1", sweeps.Load(), snapshots)
	}
}

package postgres_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	"github.com/billtriage/billtriage/triage"
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

// otherEmbedder stands for the embedder a deployment moved to.
type otherEmbedder struct{}

func (otherEmbedder) Name() string { return "test-emb-2" }
func (otherEmbedder) Dims() int    { return dims }
func (otherEmbedder) Embed(_ context.Context, texts []string) ([][]float32, error) {
	r := rand.New(rand.NewPCG(3, 4))
	out := make([][]float32, len(texts))
	for i := range texts {
		out[i] = unit(r, i%dims, 0.1)
	}
	return out, nil
}

// TestReembeddingRunsAsAJob: after an embedder change, the history is
// moved by a job a replica with the new embedder runs, and the count of
// rows left is its progress.
func TestReembeddingRunsAsAJob(t *testing.T) {
	db, st := setup(t)
	ctx := context.Background()
	if err := db.EnsureIndex(ctx, otherEmbedder{}.Name(), dims); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	var rs []triage.Resolution
	for i := range 1200 {
		rs = append(rs, triage.Resolution{ExternalID: fmt.Sprint(i), Type: triage.Other, Text: fmt.Sprint("case ", i), RootCause: "rc",
			Action: "act", Queue: triage.QueueRevOps, Verdict: triage.VerdictImported, OccurredAt: time.Unix(0, 0),
			ResolvedAt: time.Unix(int64(i), 0), Embedder: "test-emb", Vector: unit(r, i%dims, 0.3)})
	}
	if err := st.AddResolutions(ctx, rs); err != nil {
		t.Fatal(err)
	}
	if err := st.EnqueueReembed(ctx, otherEmbedder{}.Name()); err != nil {
		t.Fatal(err)
	}
	if err := st.EnqueueReembed(ctx, otherEmbedder{}.Name()); err != nil { // the same job
		t.Fatal(err)
	}
	runner, err := st.NewRunner(postgres.RunnerConfig{Embedder: otherEmbedder{}})
	if err != nil {
		t.Fatal(err)
	}
	if err := runner.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = runner.Stop(context.Background()) })
	left := len(rs)
	for deadline := time.Now().Add(30 * time.Second); left > 0 && time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if left, err = st.NotEmbeddedBy(ctx, otherEmbedder{}.Name()); err != nil {
			t.Fatal(err)
		}
	}
	var jobs int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = 'resolutions.reembed'`).Scan(&jobs); err != nil {
		t.Fatal(err)
	}
	if left != 0 || jobs != 1 {
		t.Errorf("%d resolutions left, %d re-embedding jobs; want 0 and 1", left, jobs)
	}
}

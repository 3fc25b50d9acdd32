package postgres_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/billtriage/billtriage/embeddings"
	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
	"github.com/billtriage/billtriage/triage/postgres/pgtest"
)

// countingEmbedder counts the texts it embeds.
type countingEmbedder struct {
	triage.Embedder
	texts atomic.Int64
}

func (c *countingEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	c.texts.Add(int64(len(texts)))
	return c.Embedder.Embed(ctx, texts)
}

func TestPatternRunsAreStoredEmbeddedOnceAndPruned(t *testing.T) {
	ctx := context.Background()
	db := pgtest.Open(t)
	local, err := embeddings.NewLocal(64)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.EnsureIndex(ctx, local.Name(), local.Dims()); err != nil {
		t.Fatal(err)
	}
	emb := &countingEmbedder{Embedder: local}
	st := postgres.NewStore(db)
	svc := triage.NewService(triage.Config{Store: st, Embedder: emb, Patterns: st})
	now := time.Now()
	var hist []triage.Resolution
	for i := range 12 {
		at := now.Add(-time.Duration(1+5*i) * 24 * time.Hour)
		hist = append(hist, triage.Resolution{ExternalID: fmt.Sprint("h", i), Type: triage.Other,
			Text: fmt.Sprintf("Quarter-end export %d stalled at the vault gateway", i), RootCause: "vault_gateway_stall", Action: "restart_export",
			Queue: triage.QueueFinance, OccurredAt: at, ResolvedAt: at.Add(time.Hour),
			Facts: &triage.Facts{Source: "vault", Attributes: map[string]any{"vault": []string{"V1", "V2"}[i%2]}}})
	}
	old := now.Add(-200 * 24 * time.Hour) // outside any window
	hist = append(hist, triage.Resolution{ExternalID: "ancient", Type: triage.Other, Text: "Quarter-end export 0 stalled at the vault gateway",
		RootCause: "vault_gateway_stall", Action: "restart_export", OccurredAt: old, ResolvedAt: old})
	if err := svc.ImportHistory(ctx, hist); err != nil {
		t.Fatal(err)
	}
	subs, err := svc.Submit(ctx, triage.System("test"), []triage.Exception{{Source: "vault", ExternalID: "o1", Type: triage.Other,
		OccurredAt: now.Add(-time.Hour), Text: "Quarter-end export 99 stalled at the vault gateway", Attributes: map[string]any{"vault": "V2"}}})
	if err != nil {
		t.Fatal(err)
	}
	open := subs[0].Exception
	if !open.Status.Open() {
		t.Fatalf("the submitted item is %s", open.Status)
	}
	emb.texts.Store(0)
	for i := range 7 {
		run, err := svc.DetectPatterns(ctx, triage.PatternConfig{})
		if err != nil {
			t.Fatal(err)
		}
		if run.Items != 13 || run.Patterns != 1 {
			t.Fatalf("run %d: %d items, %d patterns; want 13 and 1", i, run.Items, run.Patterns)
		}
	}
	if n := emb.texts.Load(); n != 1 {
		t.Fatalf("%d texts embedded over 7 runs, want the open item's once", n)
	}
	var runs int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM pattern_runs`).Scan(&runs); err != nil {
		t.Fatal(err)
	}
	if runs != 5 {
		t.Fatalf("%d runs kept, want the last 5", runs)
	}
	run, ps, err := st.LatestPatternRun(ctx)
	if err != nil || len(ps) != 1 {
		t.Fatalf("latest: %v, %d patterns", err, len(ps))
	}
	p, ms, err := st.PatternMembers(ctx, run.ID, ps[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.Size != 13 || p.Open != 1 || len(p.Daily) != 59 || len(ms) != 13 {
		t.Fatalf("pattern %+v with %d members", p, len(ms))
	}
	if ms[0].ExceptionID != open.ID || ms[0].Status != open.Status || ms[0].RootCause != "vault_gateway_stall" {
		t.Fatalf("first member %+v, want the open item with its suggestion", ms[0])
	}
	for _, m := range ms[1:] {
		if m.ResolutionID == 0 || m.ExceptionID != 0 || m.Status != triage.StatusResolved {
			t.Fatalf("history member %+v", m)
		}
	}
	found := false
	for _, b := range p.Breakdown {
		found = found || (b.Dim == "vault" && len(b.Values) == 2)
	}
	if !found {
		t.Fatalf("breakdown %+v lacks the vault attribute", p.Breakdown)
	}
	if _, _, err := st.PatternMembers(ctx, run.ID, "pnothere"); triage.ErrorCode(err) != triage.ENOTFOUND {
		t.Fatalf("unknown pattern: %v", err)
	}
}

func TestLatestPatternRunBeforeAnyIsNotFound(t *testing.T) {
	_, st := setup(t)
	if _, _, err := st.LatestPatternRun(context.Background()); triage.ErrorCode(err) != triage.ENOTFOUND {
		t.Fatalf("err %v, want not found", err)
	}
}

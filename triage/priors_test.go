package triage_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/billtriage/billtriage/embeddings"
	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
	"github.com/billtriage/billtriage/triage/postgres/pgtest"
)

// consistencyCounter is the store, counting the field-consistency queries.
type consistencyCounter struct {
	*postgres.Store
	n atomic.Int32
}

func (c *consistencyCounter) FieldConsistency(ctx context.Context, field string) (float64, float64, error) {
	c.n.Add(1)
	return c.Store.FieldConsistency(ctx, field)
}

// clock is a settable Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// The field prior is asked of the database once, then served from the
// cache; this replica's resolution correcting the field drops it at once,
// a load drops every field's, and it is asked again after LearnedRefresh
// (for what other replicas record).
func TestFieldPriorIsCachedDroppedOnOwnResolutionAndRefreshed(t *testing.T) {
	db := pgtest.Open(t)
	emb, _ := embeddings.NewLocal(256)
	ctx := context.Background()
	if err := db.EnsureIndex(ctx, emb.Name(), emb.Dims()); err != nil {
		t.Fatal(err)
	}
	st := &consistencyCounter{Store: postgres.NewStore(db)}
	clk := &clock{t: day0.AddDate(1, 0, 0)}
	svc := triage.NewService(triage.Config{Store: st, Embedder: emb, Now: clk.now})
	var hist []triage.Resolution
	for i := range 20 {
		hist = append(hist, triage.Resolution{ExternalID: fmt.Sprintf("h%d", i), Type: triage.UsageMismatch,
			Text:      "Usage events for unknown account acct_217 rejected by rating: no customer mapping",
			RootCause: "unmapped_usage_account", Action: "map_usage_account", Queue: triage.QueueRevOps,
			Params:     map[string]any{"corrections": []any{map[string]any{"field": "account_id", "key": "acct_217", "from": "acct_217", "to": "C-1106"}}},
			OccurredAt: day0.AddDate(0, 0, i), ResolvedAt: day0.AddDate(0, 0, i)})
	}
	if err := svc.ImportHistory(ctx, hist); err != nil {
		t.Fatal(err)
	}
	n := 0
	submit := func(want int32, why string) triage.Submission {
		t.Helper()
		n++
		subs, err := svc.Submit(ctx, admin, []triage.Exception{usage(fmt.Sprintf("c%d", n), "acct_217")})
		if err != nil {
			t.Fatal(err)
		}
		if got := st.n.Load(); got != want {
			t.Fatalf("%s: %d consistency queries, want %d", why, got, want)
		}
		return subs[0]
	}
	first := submit(1, "first triage")
	if first.Exception.Attributes["account_id"] != "C-1106" {
		t.Fatalf("the mapping was not applied: %v %v", first.Exception.Attributes, first.Decision.Reasons)
	}
	queued := submit(1, "second triage, from the cache")
	// A resolution that corrects the field changes its consistency.
	if _, _, err := svc.Resolve(ctx, admin, queued.Exception.ID, triage.ResolutionInput{Verdict: triage.VerdictEdit,
		RootCause: "unmapped_usage_account", Action: "map_usage_account",
		Params: map[string]any{"corrections": []any{map[string]any{"field": "account_id", "key": "acct_217", "from": "acct_217", "to": "C-2000"}}}}); err != nil {
		t.Fatal(err)
	}
	submit(2, "after this replica's own resolution")
	submit(2, "cached again")
	clk.add(triage.LearnedRefresh + time.Minute)
	submit(3, "after LearnedRefresh")
	if err := svc.ImportHistory(ctx, []triage.Resolution{{ExternalID: "h-late", Type: triage.UsageMismatch,
		Text:      "Usage events for unknown account acct_217 rejected by rating: no customer mapping",
		RootCause: "unmapped_usage_account", Action: "map_usage_account", Queue: triage.QueueRevOps,
		Params:     map[string]any{"corrections": []any{map[string]any{"field": "account_id", "key": "acct_217", "from": "acct_217", "to": "C-1106"}}},
		OccurredAt: day0.AddDate(0, 1, 0), ResolvedAt: day0.AddDate(0, 1, 0)}}); err != nil {
		t.Fatal(err)
	}
	submit(4, "after a load")
}

// historyCounter is the store, counting the reads of what triage learns
// and caches.
type historyCounter struct {
	*postgres.Store
	reads atomic.Int32
}

func (c *historyCounter) FieldConsistency(ctx context.Context, field string) (float64, float64, error) {
	c.reads.Add(1)
	return c.Store.FieldConsistency(ctx, field)
}

func (c *historyCounter) ParamHistory(ctx context.Context, action string, limit int) ([]triage.ParamExample, error) {
	c.reads.Add(1)
	return c.Store.ParamHistory(ctx, action, limit)
}

func (c *historyCounter) CauseHistory(ctx context.Context, t triage.Type, limit int) ([]triage.CauseExample, error) {
	c.reads.Add(1)
	return c.Store.CauseHistory(ctx, t, limit)
}

// After Warm, a triage reads nothing it caches: the cause words, the
// action's parameter schema and the corrected field's prior are learned.
func TestWarmLearnsWhatTriageCaches(t *testing.T) {
	db := pgtest.Open(t)
	emb, _ := embeddings.NewLocal(256)
	ctx := context.Background()
	if err := db.EnsureIndex(ctx, emb.Name(), emb.Dims()); err != nil {
		t.Fatal(err)
	}
	st := &historyCounter{Store: postgres.NewStore(db)}
	svc := triage.NewService(triage.Config{Store: st, Embedder: emb, Now: func() time.Time { return day0.AddDate(1, 0, 0) }})
	var hist []triage.Resolution
	for i := range 20 {
		hist = append(hist, triage.Resolution{ExternalID: fmt.Sprintf("h%d", i), Type: triage.UsageMismatch,
			Text:      "Usage events for unknown account acct_217 rejected by rating: no customer mapping",
			RootCause: "unmapped_usage_account", Action: "map_usage_account", Queue: triage.QueueRevOps,
			Params:     map[string]any{"corrections": []any{map[string]any{"field": "account_id", "key": "acct_217", "from": "acct_217", "to": "C-1106"}}},
			OccurredAt: day0.AddDate(0, 0, i), ResolvedAt: day0.AddDate(0, 0, i)})
	}
	if err := svc.ImportHistory(ctx, hist); err != nil {
		t.Fatal(err)
	}
	if err := svc.Warm(ctx); err != nil {
		t.Fatal(err)
	}
	warmed := st.reads.Load()
	if want := int32(len(triage.Types) + 2); warmed != want {
		t.Errorf("Warm read %d histories, want %d (each type's causes, one action, one field)", warmed, want)
	}
	subs, err := svc.Submit(ctx, admin, []triage.Exception{usage("w1", "acct_217")})
	if err != nil {
		t.Fatal(err)
	}
	if subs[0].Exception.Attributes["account_id"] != "C-1106" {
		t.Fatalf("the mapping was not applied: %v", subs[0].Decision.Reasons)
	}
	if got := st.reads.Load() - warmed; got != 0 {
		t.Errorf("a triage after Warm read %d cached histories again", got)
	}
}

package postgres_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
	"github.com/billtriage/billtriage/triage/postgres/pgtest"
)

// The queue and nearest-neighbour reads pick one of several constant
// statements by which optional filters are set; these tests run the
// combinations the other tests leave out (type filter with and without a
// cursor, type filter with a time bound).

func TestQueueFilteredByTypePagesThrough(t *testing.T) {
	_, st := setup(t)
	ctx := context.Background()
	var exs []triage.Exception
	for i := range 9 {
		typ := triage.ERPPostingFailure
		if i%3 == 0 {
			typ = triage.UsageMismatch
		}
		exs = append(exs, exception(fmt.Sprint(i), typ, float64(i)))
	}
	res, err := st.CreateExceptions(ctx, exs)
	if err != nil {
		t.Fatal(err)
	}
	var want []int64
	for i, c := range res {
		e := c.Exception
		e.Status, e.Queue, e.SortKey = triage.StatusQueued, triage.QueueFinance, float64(i)
		if _, err := st.SaveDecision(ctx, e, triage.Decision{ExceptionID: e.ID, Outcome: triage.OutcomeQueue, DecidedAt: time.Now()}, nil); err != nil {
			t.Fatal(err)
		}
		if e.Type == triage.ERPPostingFailure {
			want = append(want, e.ID)
		}
	}
	slices.Reverse(want) // highest sort key first
	var seen []int64
	cursor := ""
	for range len(exs) {
		p, err := st.Queue(ctx, triage.QueueQuery{Queue: triage.QueueFinance, Type: triage.ERPPostingFailure, Limit: 4, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range p.Items {
			if it.Type != triage.ERPPostingFailure {
				t.Errorf("type filter let through exception %d of type %s", it.ID, it.Type)
			}
			seen = append(seen, it.ID)
		}
		if cursor = p.NextCursor; cursor == "" {
			break
		}
	}
	if fmt.Sprint(seen) != fmt.Sprint(want) {
		t.Errorf("filtered queue order %v, want %v", seen, want)
	}
}

func TestNearestFilteredByTypeAndTime(t *testing.T) {
	_, st := setup(t)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(3, 4))
	var rs []triage.Resolution
	for i := range 40 {
		typ := triage.UsageMismatch
		if i%2 == 0 {
			typ = triage.TaxInconsistency
		}
		rs = append(rs, triage.Resolution{ExternalID: fmt.Sprint(i), Type: typ, Text: "t", RootCause: "rc", Action: "act",
			Queue: triage.QueueRevOps, Verdict: triage.VerdictImported, OccurredAt: time.Unix(0, 0),
			ResolvedAt: time.Unix(int64(i), 0), Embedder: "test-emb", Vector: unit(r, 0, 0.3)})
	}
	if err := st.AddResolutions(ctx, rs); err != nil {
		t.Fatal(err)
	}
	cut := time.Unix(20, 0)
	got, err := st.Nearest(ctx, triage.NearestQuery{Vector: unit(r, 0, 0.1), Embedder: "test-emb", Type: triage.TaxInconsistency, Before: cut, K: 50})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 10 { // the even i below 20
		t.Errorf("got %d neighbours, want the 10 tax rows resolved before %v", len(got), cut)
	}
	for _, n := range got {
		if n.Type != triage.TaxInconsistency || !n.ResolvedAt.Before(cut) {
			t.Errorf("neighbour %s (%s, resolved %v) should have been filtered out", n.ExternalID, n.Type, n.ResolvedAt)
		}
	}
}

func TestMigrateRefusesSchemaOpenWouldRefuse(t *testing.T) {
	err := postgres.Migrate(context.Background(), pgtest.URL(), `x"; DROP TABLE y; --`)
	if triage.ErrorCode(err) != triage.EINVALID {
		t.Errorf("Migrate with a schema name Open refuses: %v, want %s", err, triage.EINVALID)
	}
}

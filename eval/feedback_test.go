package eval_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/billtriage/billtriage/embeddings"
	"github.com/billtriage/billtriage/eval"
	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
	"github.com/billtriage/billtriage/triage/postgres/pgtest"
)

// movedCustomerSet is a history of 56 unmapped usage accounts, acct_700
// always mapped to C-1700, followed by a test part in which acct_700's
// usage belongs to C-7700 (the customer moved to a new billing id). Every
// record has the same root cause and action, so the suggestion is right on
// them and only the correction is wrong.
func movedCustomerSet(t *testing.T) []byte {
	t.Helper()
	start := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	var b bytes.Buffer
	rec := func(i int, at time.Time, key, to string) {
		r := map[string]any{
			"id": fmt.Sprintf("EXC-%04d", i), "occurred_at": at.Format(time.RFC3339), "type": "usage_mismatch",
			"source": "usage-pipeline", "amount": -120.5, "currency": "USD", "region": "NA",
			"text":       fmt.Sprintf("Orphaned usage on account key %s: usage not rated, the account key maps to no billing account.", key),
			"attributes": map[string]any{"account_key": key, "meter": "api_calls"},
			"resolution": map[string]any{"root_cause": "unmapped_usage_account", "action": "map_usage_account", "queue": "revops",
				"resolved_at": at.Add(2 * time.Hour).Format(time.RFC3339),
				"params": map[string]any{"account_key": key, "customer_id": to,
					"corrections": []any{map[string]any{"field": "account_id", "key": key, "from": key, "to": to}}}},
		}
		line, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(append(line, '\n'))
	}
	i := 0
	for d := 0; d < 56; d++ {
		i++
		key, to := fmt.Sprintf("acct_%d", 100+d), fmt.Sprintf("C-%d", 1100+d)
		if d%8 == 0 {
			key, to = "acct_700", "C-1700"
		}
		rec(i, start.Add(time.Duration(d)*24*time.Hour), key, to)
	}
	// The last 30% (a split of 0.7 of 80 records): 24 test records, one a
	// day two years later (so the old mapping's evidence has decayed),
	// acct_700 now mapped to C-7700.
	for d := 0; d < 24; d++ {
		i++
		rec(i, start.Add(time.Duration(730+d)*24*time.Hour), "acct_700", "C-7700")
	}
	return b.Bytes()
}

// When the suggestion's root cause and action are right but the label
// corrects a parameter, the replay records the label's parameters, so the
// correction joins the corrections memory during the replay (an accept would
// have confirmed the stale mapping instead) and is applied once it has
// enough evidence; the first such case is right on root cause and action
// but not fully right.
func TestReplayLearnsTheLabelsCorrections(t *testing.T) {
	ctx := context.Background()
	db := pgtest.Open(t)
	emb, err := embeddings.NewLocal(512)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.EnsureIndex(ctx, emb.Name(), emb.Dims()); err != nil {
		t.Fatal(err)
	}
	in, err := eval.ReadInput(bytes.NewReader(movedCustomerSet(t)))
	if err != nil {
		t.Fatal(err)
	}
	store := postgres.NewStore(db)
	clock := eval.NewClock()
	svc := triage.NewService(triage.Config{Store: store, Embedder: emb, Now: clock.Now})
	res, err := eval.Run(ctx, eval.Config{Service: svc, Clock: clock, Input: in, Split: 0.7,
		TargetPrecision: eval.DefaultTargetPrecision, MinSupport: eval.DefaultMinSupport})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Cases) != 24 {
		t.Fatalf("%d test cases, want 24", len(res.Cases))
	}
	first := res.Cases[0]
	if !first.Correct() || first.FullyCorrect() {
		t.Fatalf("first test case: root cause and action right %v, fully right %v; want true, false (params %+v)",
			first.Correct(), first.FullyCorrect(), first.Params)
	}

	ev, err := store.Evidence(ctx, "account_id", "acct_700")
	if err != nil {
		t.Fatal(err)
	}
	learned := 0
	for _, e := range ev {
		if e.To == "C-7700" && e.ReversedAt == nil {
			learned++
		}
	}
	// Every test case but the last (its resolution falls after the last
	// case) was fed back.
	if learned < 20 {
		t.Errorf("corrections memory holds acct_700 → C-7700 %d times after the replay, want every fed-back label's (%+v)", learned, ev)
	}
	if rc := res.Metrics.Run.Resolutions; rc.EditedParams == 0 || rc.EditedParams+rc.Accepted+rc.Edited < 20 {
		t.Errorf("resolutions %+v: want the labels with a new mapping fed back as edits with their parameters", rc)
	}
	// The new mapping is offered, and then applied, once it has evidence.
	last := res.Cases[len(res.Cases)-1]
	var appliedLast string
	for _, fc := range last.Corrections {
		if fc.Field == "account_id" {
			appliedLast = fc.Applied
		}
	}
	if appliedLast != "C-7700" {
		t.Errorf("last test case: applied account_id %q, want the learned C-7700 (%+v)", appliedLast, last.Corrections)
	}
}

package postgres_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
)

// Stored classifiers: the newest version of a key is returned, only when
// newer than the caller's, and never one of another type, embedder or
// config; the count of a type's history is what TrainingExamples returns.
func TestClassifierVersions(t *testing.T) {
	_, st := setup(t)
	ctx := context.Background()
	key := postgres.ClassifierKey{Type: triage.ERPPostingFailure, Embedder: "", Config: "cfg-a"}
	if _, err := st.LatestClassifier(ctx, key, 0); triage.ErrorCode(err) != triage.ENOTFOUND {
		t.Fatalf("empty registry: %v, want not_found", err)
	}
	v1, err := st.SaveClassifier(ctx, postgres.ClassifierModel{ClassifierKey: key, TrainedOn: 100, Body: []byte("one")})
	if err != nil {
		t.Fatal(err)
	}
	other := key
	other.Config = "cfg-b"
	if _, err := st.SaveClassifier(ctx, postgres.ClassifierModel{ClassifierKey: other, TrainedOn: 900, Body: []byte("other")}); err != nil {
		t.Fatal(err)
	}
	v2, err := st.SaveClassifier(ctx, postgres.ClassifierModel{ClassifierKey: key, TrainedOn: 300, Body: []byte("two")})
	if err != nil || v2 <= v1 {
		t.Fatalf("second version %d (%v), want above %d", v2, err, v1)
	}
	m, err := st.LatestClassifier(ctx, key, 0)
	if err != nil || m.Version != v2 || m.TrainedOn != 300 || !bytes.Equal(m.Body, []byte("two")) || m.ClassifierKey != key {
		t.Fatalf("latest = %+v (%v), want version %d trained on 300", m, err, v2)
	}
	if m, err := st.LatestClassifier(ctx, key, v1); err != nil || m.Version != v2 {
		t.Fatalf("after %d: %+v (%v), want version %d", v1, m, err, v2)
	}
	if _, err := st.LatestClassifier(ctx, key, v2); triage.ErrorCode(err) != triage.ENOTFOUND {
		t.Fatalf("after the newest: %v, want not_found", err)
	}

	r := rand.New(rand.NewPCG(1, 2))
	var rs []triage.Resolution
	for i := range 7 {
		typ := []triage.Type{triage.ERPPostingFailure, triage.Other}[i%2]
		rs = append(rs, triage.Resolution{ExternalID: fmt.Sprint("c", i), Type: typ, Text: "t", RootCause: "rc", Action: "a",
			Queue: triage.QueueFinance, Verdict: triage.VerdictImported, OccurredAt: time.Unix(0, 0), ResolvedAt: time.Unix(1, 0),
			Embedder: "test-emb", Vector: unit(r, i, 0.1)})
	}
	if err := st.AddResolutions(ctx, rs); err != nil {
		t.Fatal(err)
	}
	n, err := st.TypeResolutionCount(ctx, triage.ERPPostingFailure)
	ex, _ := st.TrainingExamples(ctx, triage.ERPPostingFailure, "", 0)
	if err != nil || n != 4 || len(ex) != n {
		t.Fatalf("count %d (%v), %d training examples, want 4 and 4", n, err, len(ex))
	}
}

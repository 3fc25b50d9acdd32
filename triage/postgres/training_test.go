package postgres_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// TrainingExamples returns the history oldest first and, when asked for an
// embedder's vectors, those of that embedder only: a row another embedder
// made has none, rather than a vector of another space.
func TestTrainingExamplesWithEmbeddings(t *testing.T) {
	db, st := setup(t)
	ctx := context.Background()
	if err := db.EnsureIndex(ctx, "other-emb", dims); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	var rs []triage.Resolution
	for i := range 4 {
		emb := []string{"test-emb", "other-emb"}[i%2]
		rs = append(rs, triage.Resolution{ExternalID: fmt.Sprint(i), Type: triage.ERPPostingFailure, Text: fmt.Sprint("text ", i),
			RootCause: "rc", Action: "act", Queue: triage.QueueFinance, Verdict: triage.VerdictImported, OccurredAt: time.Unix(0, 0),
			ResolvedAt: time.Unix(int64(10-i), 0), Embedder: emb, Vector: unit(r, i, 0.2)})
	}
	if err := st.AddResolutions(ctx, rs); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		embedder    string
		withVectors []bool // by position, oldest first
	}{
		{"", []bool{false, false, false, false}},
		{"test-emb", []bool{false, true, false, true}},
		{"other-emb", []bool{true, false, true, false}},
	}
	for _, tt := range tests {
		t.Run("embedder="+tt.embedder, func(t *testing.T) {
			got, err := st.TrainingExamples(ctx, triage.ERPPostingFailure, tt.embedder, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 4 {
				t.Fatalf("%d examples, want 4", len(got))
			}
			for k, e := range got {
				i := 3 - k // resolved_at descends with i, so the oldest is i = 3
				if e.Text != fmt.Sprint("text ", i) {
					t.Errorf("example %d is %q, want text %d (oldest first)", k, e.Text, i)
				}
				if has := e.Vector != nil; has != tt.withVectors[k] {
					t.Errorf("example %d has a vector: %v, want %v", k, has, tt.withVectors[k])
				}
				if e.Vector != nil && !slices.Equal(e.Vector, rs[i].Vector) {
					t.Errorf("example %d vector differs from the stored one", k)
				}
			}
		})
	}
}

// Asked for the newest n, TrainingExamples returns the n most recently
// resolved, still oldest first.
func TestTrainingExamplesNewest(t *testing.T) {
	_, st := setup(t)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(5, 6))
	var rs []triage.Resolution
	for i := range 6 {
		rs = append(rs, triage.Resolution{ExternalID: fmt.Sprint("n", i), Type: triage.TaxInconsistency, Text: fmt.Sprint("text ", i),
			RootCause: "rc", Action: "act", Queue: triage.QueueTax, Verdict: triage.VerdictImported, OccurredAt: time.Unix(0, 0),
			ResolvedAt: time.Unix(int64(100+i), 0), Embedder: "test-emb", Vector: unit(r, i, 0.2)})
	}
	if err := st.AddResolutions(ctx, rs); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		newest int
		want   []string
	}{
		{2, []string{"text 4", "text 5"}},
		{0, []string{"text 0", "text 1", "text 2", "text 3", "text 4", "text 5"}},
		{10, []string{"text 0", "text 1", "text 2", "text 3", "text 4", "text 5"}},
	} {
		got, err := st.TrainingExamples(ctx, triage.TaxInconsistency, "", tc.newest)
		if err != nil {
			t.Fatal(err)
		}
		var texts []string
		for _, e := range got {
			texts = append(texts, e.Text)
		}
		if !slices.Equal(texts, tc.want) {
			t.Errorf("newest %d: %v, want %v", tc.newest, texts, tc.want)
		}
	}
}

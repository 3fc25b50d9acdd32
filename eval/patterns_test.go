package eval_test

import (
	"context"
	"testing"
	"time"

	"github.com/billtriage/billtriage/dataset/generate"
	"github.com/billtriage/billtriage/disputes"
	"github.com/billtriage/billtriage/embeddings"
	"github.com/billtriage/billtriage/eval"
	"github.com/billtriage/billtriage/triage"
)

func TestPatternsFindsTheSeededIncidents(t *testing.T) {
	recs, _, _, incs, err := generate.GenerateWithIncidents(generate.Config{Seed: 42, Exceptions: 5000, Invoices: 3000, Incidents: true})
	if err != nil {
		t.Fatal(err)
	}
	emb, err := embeddings.NewLocal(512)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := eval.Patterns(context.Background(), eval.PatternsInput{Records: recs, Incidents: incs, Embedder: emb,
		Prepare: disputes.PrepareText, Config: triage.DefaultPatterns, Step: 24 * time.Hour, Similarities: []float64{0.5, 0.8}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Items != len(recs) || len(rep.Clustering) != 4 || len(rep.Incidents) != 3 {
		t.Fatalf("report %+v", rep)
	}
	for _, c := range rep.Clustering {
		if c.Mode == "root cause + text" && c.Purity != 1 {
			t.Errorf("%+v: grouping within a root cause must be pure by the labels", c)
		}
		if c.Coverage <= 0 || c.Completeness <= 0 || c.Purity <= 0 {
			t.Errorf("%+v: empty scores", c)
		}
	}
	// A stricter link splits more: more patterns, less complete.
	if rep.Clustering[2].Patterns <= rep.Clustering[0].Patterns || rep.Clustering[2].Completeness >= rep.Clustering[0].Completeness {
		t.Errorf("0.8 vs 0.5: %+v vs %+v", rep.Clustering[2], rep.Clustering[0])
	}
	for _, inc := range rep.Incidents {
		if !inc.Detected || inc.TTDHours < 0 || inc.Completeness < 0.5 {
			t.Errorf("incident %+v: want detected, with most of it in one pattern", inc)
		}
	}
	if rep.Runs < 300 || rep.Months < 9 || rep.FalseAlarmsPerMonth > 3 {
		t.Errorf("replay: %d runs over %.1f months, %.2f false alarms a month", rep.Runs, rep.Months, rep.FalseAlarmsPerMonth)
	}
}

package triage_test

import (
	"context"
	"strings"
	"testing"

	"github.com/billtriage/billtriage/dataset/generate"
	"github.com/billtriage/billtriage/embeddings"
	"github.com/billtriage/billtriage/models/classify"
	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
	"github.com/billtriage/billtriage/triage/postgres/pgtest"
)

type storeSource struct{ st *postgres.Store }

func (s storeSource) TrainingExamples(ctx context.Context, t triage.Type, newest int) ([]classify.Example, int, error) {
	rows, err := s.st.TrainingExamples(ctx, t, "", newest)
	out := make([]classify.Example, len(rows))
	for i, r := range rows {
		out[i] = classify.Example{Text: r.Text, Label: triage.PairLabel(r.RootCause, r.Action)}
	}
	return out, len(rows), err
}

// With a classifier the service decides by its calibrated probability and
// keeps precedents as the explanation; it retrains as resolutions arrive.
func TestClassifierDecidesAndPrecedentsExplain(t *testing.T) {
	db := pgtest.Open(t)
	ctx := context.Background()
	emb, _ := embeddings.NewLocal(256)
	st := postgres.NewStore(db)
	if err := db.EnsureIndex(ctx, emb.Name(), emb.Dims()); err != nil {
		t.Fatal(err)
	}
	clf := &classify.Learner{Source: storeSource{st}, Sync: true, RetrainEvery: 20}
	svc := triage.NewService(triage.Config{Store: st, Embedder: emb, Classifier: clf})
	recs, _, err := generate.Generate(generate.Config{Seed: 3, Exceptions: 900, Invoices: 100})
	if err != nil {
		t.Fatal(err)
	}
	var hist []triage.Resolution
	for _, r := range recs[:800] {
		h, _ := r.HistoryResolution()
		hist = append(hist, h)
	}
	if err := svc.ImportHistory(ctx, hist); err != nil {
		t.Fatal(err)
	}
	before := clf.Version()
	right := 0
	for _, r := range recs[800:] {
		ex := r.Exception()
		subs, err := svc.Submit(ctx, admin, []triage.Exception{ex})
		if err != nil {
			t.Fatal(err)
		}
		d := subs[0].Decision
		if !strings.HasPrefix(d.ModelVersion, "clf-") || len(d.Neighbors) == 0 {
			t.Fatalf("decision not from the classifier or without precedents: %s, %d", d.ModelVersion, len(d.Neighbors))
		}
		if d.RootCause == r.Resolution.RootCause {
			right++
		}
		in := triage.ResolutionInput{Verdict: triage.VerdictEdit, RootCause: r.Resolution.RootCause, Action: r.Resolution.Action}
		if _, _, err := svc.Resolve(ctx, admin, subs[0].Exception.ID, in); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("root cause right on %d of 100", right)
	if right < 75 {
		t.Errorf("root cause right on only %d of 100", right)
	}
	if clf.Version() == before {
		t.Errorf("the classifier did not retrain as resolutions arrived")
	}
}

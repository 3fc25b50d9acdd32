package triage_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/billtriage/billtriage/dataset/generate"
	"github.com/billtriage/billtriage/embeddings"
	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
	"github.com/billtriage/billtriage/triage/postgres/pgtest"
)

// BenchmarkSubmit measures one exception through the whole pipeline
// (validate, store, embed, HNSW match, decide, record with audit) against a
// generated history of 5,000 resolutions in the real database.
func BenchmarkSubmit(b *testing.B) {
	db := pgtest.Open(b)
	emb, err := embeddings.NewLocal(512)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	recs, _, err := generate.Generate(generate.Config{Seed: 42, Exceptions: 6000, Invoices: 500})
	if err != nil {
		b.Fatal(err)
	}
	svc := triage.NewService(triage.Config{Store: postgres.NewStore(db), Embedder: emb})
	var hist []triage.Resolution
	for _, r := range recs[:5000] {
		h, _ := r.HistoryResolution()
		hist = append(hist, h)
	}
	if err := svc.ImportHistory(ctx, hist); err != nil {
		b.Fatal(err)
	}
	if err := db.EnsureIndex(ctx, emb.Name(), emb.Dims()); err != nil {
		b.Fatal(err)
	}
	test := recs[5000:]
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		ex := test[i%len(test)].Exception()
		ex.ExternalID = fmt.Sprintf("bench-%d", i)
		ex.OccurredAt = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		if _, err := svc.Submit(ctx, admin, []triage.Exception{ex}); err != nil {
			b.Fatal(err)
		}
	}
}

package webhook_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/billtriage/billtriage/embeddings"
	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
	"github.com/billtriage/billtriage/triage/postgres/pgtest"
	"github.com/billtriage/billtriage/webhook"
)

// flaky is a receiver that is down for a while, then fails a share of
// deliveries at random, in front of a verifying, deduplicating Receiver.
type flaky struct {
	upAt     time.Time
	failRate float64
	rv       *webhook.Receiver
	wire     atomic.Int64 // requests that reached the Receiver
	mu       sync.Mutex
	got      map[string]int // id -> times acted on
}

func (f *flaky) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if time.Now().Before(f.upAt) {
		http.Error(w, "down", http.StatusServiceUnavailable)
		return
	}
	if rand.Float64() < f.failRate {
		http.Error(w, "flaky", http.StatusInternalServerError)
		return
	}
	f.wire.Add(1)
	f.rv.ServeHTTP(w, r)
}

func (f *flaky) acted() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make(map[string]int, len(f.got))
	for k, v := range f.got {
		out[k] = v
	}
	return out
}

// TestEveryEventArrivesOnceThroughAnUnreliableReceiver: a receiver down
// for 20 s, then failing 30% of deliveries, still acts on every event
// exactly once. Deliveries are at least once on the wire; the receiver
// deduplicates by webhook-id, the event's id on every attempt.
func TestEveryEventArrivesOnceThroughAnUnreliableReceiver(t *testing.T) {
	ctx := context.Background()
	db := pgtest.Open(t)
	emb, _ := embeddings.NewLocal(256)
	if err := db.EnsureIndex(ctx, emb.Name(), emb.Dims()); err != nil {
		t.Fatal(err)
	}
	st := postgres.NewStore(db)
	svc := triage.NewService(triage.Config{Store: st, Embedder: emb, Outbox: st})
	secret := webhook.NewSecret()
	f := &flaky{upAt: time.Now().Add(20 * time.Second), failRate: 0.3, got: map[string]int{}}
	f.rv = &webhook.Receiver{Secrets: []webhook.Secret{secret}, Deliver: func(id string, _ []byte) error {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.got[id]++
		return nil
	}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	admin := triage.Principal{Name: "t", Role: triage.RoleAdmin}
	if _, err := svc.AddEndpoint(ctx, admin, triage.Endpoint{URL: srv.URL, Secrets: []string{secret.String()}}); err != nil {
		t.Fatal(err)
	}
	retry := make([]time.Duration, 60)
	for i := range retry {
		retry[i] = 500 * time.Millisecond
	}
	runner, err := st.NewRunner(postgres.RunnerConfig{Connector: &webhook.Sender{}, Retry: retry})
	if err != nil {
		t.Fatal(err)
	}
	if err := runner.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = runner.Stop(context.Background()) })
	const n = 40
	for i := range n {
		ex := triage.Exception{Source: "flaky", ExternalID: fmt.Sprint("f", i), Type: triage.Other,
			Text: fmt.Sprintf("something odd happened on invoice %d", i), OccurredAt: time.Now()}
		if _, err := svc.Submit(ctx, admin, []triage.Exception{ex}); err != nil {
			t.Fatal(err)
		}
	}
	var events int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM events`).Scan(&events); err != nil || events != n {
		t.Fatalf("%d events recorded (%v), want %d", events, err, n)
	}
	deadline := time.Now().Add(90 * time.Second)
	for len(f.acted()) < n && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
	}
	got := f.acted()
	for id, times := range got {
		if times != 1 {
			t.Errorf("event %s acted on %d times", id, times)
		}
	}
	if len(got) != n {
		t.Fatalf("%d of %d events arrived", len(got), n)
	}
	t.Logf("%d events, %d requests reached the receiver (duplicates on the wire: %d)", n, f.wire.Load(), f.wire.Load()-int64(n))
}

package api_test

import (
	"context"
	"errors"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
)

// receiver is a Connector standing in for a webhook receiver: it fails
// every delivery until up is set, then records the events it got.
type receiver struct {
	up  atomic.Bool
	got atomic.Int64
}

func (c *receiver) Deliver(context.Context, triage.Endpoint, triage.Event) error {
	if !c.up.Load() {
		return errors.New("receiver answered 503")
	}
	c.got.Add(1)
	return nil
}

// startRunner runs the store's job workers with conn until the test ends.
// One retry after 10 ms means a delivery to a receiver that is down is dead
// within seconds instead of the real day.
func startRunner(t *testing.T, st *postgres.Store, conn triage.Connector) {
	t.Helper()
	r, err := st.NewRunner(postgres.RunnerConfig{Connector: conn, Retry: []time.Duration{10 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := r.Stop(ctx); err != nil {
			t.Errorf("stop the runner: %v", err)
		}
	})
}

// waitDeliveries waits until at least n deliveries are in state and
// returns them.
func waitDeliveries(t *testing.T, svc *triage.Service, state string, n int) []triage.Delivery {
	t.Helper()
	admin := triage.System("test")
	deadline := time.Now().Add(45 * time.Second)
	for {
		ds, err := svc.Deliveries(context.Background(), admin, state, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) >= n {
			return ds
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d deliveries %s after 45 s, want %d", len(ds), state, n)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// deliveryIDs lists the ids of ds.
func deliveryIDs(ds []triage.Delivery) []int64 {
	ids := make([]int64, len(ds))
	for i, d := range ds {
		ids[i] = d.ID
	}
	return slices.Sorted(slices.Values(ids))
}

package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/billtriage/billtriage/triage/postgres"
	"github.com/billtriage/billtriage/webhook"
)

// startJobs starts this replica's job workers: deliveries of the outbox
// through the webhook connector, and the sweep of exceptions left
// undecided as a periodic job River runs on one replica of the cluster.
// The returned stop finishes the jobs in hand.
func startJobs(ctx context.Context, a *app, sweepEvery, sweepAfter time.Duration, log *slog.Logger) (func(), error) {
	cfg := postgres.RunnerConfig{Connector: &webhook.Sender{}, Logger: log, SweepEvery: sweepEvery, SnapshotEvery: time.Hour, Embedder: a.emb}
	if sweepEvery > 0 {
		cfg.Sweep = func(ctx context.Context) error {
			_, err := a.svc.SweepBacklog(ctx, sweepAfter)
			return err
		}
	}
	r, err := a.store.NewRunner(cfg)
	if err != nil {
		return nil, err
	}
	if err := r.Start(ctx); err != nil {
		return nil, err
	}
	return func() {
		stop, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := r.Stop(stop); err != nil {
			log.Warn("stop job workers", "err", err)
		}
	}, nil
}

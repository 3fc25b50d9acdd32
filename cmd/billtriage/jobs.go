package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/billtriage/billtriage/triage/postgres"
	"github.com/billtriage/billtriage/webhook"
)

// jobsConfig is serve's settings of the job workers.
type jobsConfig struct {
	// SweepEvery and SweepAfter schedule the sweep (see serve's flags).
	SweepEvery, SweepAfter time.Duration
	// ModelPoll is how often the replica looks for a newer stored
	// classifier.
	ModelPoll time.Duration
	// AlarmsEvery schedules the drift alarms' check and the brake.
	AlarmsEvery time.Duration
}

// defaultAlarmsEvery is serve's --alarms-every: the brake's lag behind the
// verdicts that trip it, and the alarms' behind the data.
const defaultAlarmsEvery = 5 * time.Minute

// startJobs starts this replica's job workers: deliveries of the outbox
// through the webhook connector, the sweep of exceptions left undecided
// as a periodic job River runs on one replica of the cluster, and, when
// the classifier's models are shared, their retraining (once per cluster)
// and the poll that swaps in a model another replica stored. The returned
// stop finishes the jobs in hand.
func startJobs(ctx context.Context, a *app, jc jobsConfig, log *slog.Logger) (func(), error) {
	cfg := postgres.RunnerConfig{Connector: &webhook.Sender{}, Logger: log, SweepEvery: jc.SweepEvery,
		SnapshotEvery: time.Hour, Embedder: a.emb}
	if jc.SweepEvery > 0 {
		cfg.Sweep = func(ctx context.Context) error {
			_, err := a.svc.SweepBacklog(ctx, jc.SweepAfter)
			return err
		}
	}
	if jc.AlarmsEvery > 0 {
		cfg.Alarms, cfg.AlarmsEvery = func(ctx context.Context) error {
			_, err := a.svc.CheckAlarms(ctx)
			return err
		}, jc.AlarmsEvery
	}
	if a.models != nil {
		cfg.Retrain = a.models.retrainer(a.clf)
	}
	r, err := a.store.NewRunner(cfg)
	if err != nil {
		return nil, err
	}
	if err := r.Start(ctx); err != nil {
		return nil, err
	}
	stopWatch := watchModels(ctx, a, jc.ModelPoll)
	return func() {
		stopWatch()
		stop, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := r.Stop(stop); err != nil {
			log.Warn("stop job workers", "err", err)
		}
	}, nil
}

// watchModels runs the classifier's poll for newer stored models, when
// they are shared, until the returned stop, which waits for it to end.
func watchModels(ctx context.Context, a *app, every time.Duration) (stop func()) {
	if a.models == nil {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.clf.Watch(ctx, every)
	}()
	return func() {
		cancel()
		<-done
	}
}

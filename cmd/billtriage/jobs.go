package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
	"github.com/billtriage/billtriage/webhook"
)

// jobsConfig is serve's settings of the job workers.
type jobsConfig struct {
	// SweepEvery and SweepAfter schedule the sweep (see serve's flags).
	SweepEvery, SweepAfter time.Duration
	// DriftEvery schedules schema-drift detection; 0 turns it off.
	DriftEvery time.Duration
	// ModelPoll is how often the replica looks for a newer stored
	// classifier.
	ModelPoll time.Duration
	// PatternsEvery schedules pattern detection; 0 turns it off.
	PatternsEvery time.Duration
	// PatternsRelative judges spikes against the general volume.
	PatternsRelative bool
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
	if jc.PatternsEvery > 0 {
		cfg.PatternsEvery = jc.PatternsEvery
		cfg.Patterns = func(ctx context.Context) error {
			start := time.Now()
			run, err := a.svc.DetectPatterns(ctx, triage.PatternConfig{Relative: jc.PatternsRelative})
			if err == nil {
				log.Info("patterns detected", "items", run.Items, "patterns", run.Patterns, "spikes", len(run.Spikes),
					"ms", time.Since(start).Milliseconds())
			}
			return err
		}
	}
	if jc.DriftEvery > 0 {
		cfg.Drift, cfg.DriftEvery = func(ctx context.Context) error {
			_, err := a.svc.DetectDrift(ctx)
			return err
		}, jc.DriftEvery
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
	stopPolicy := watchPolicy(ctx, a, jc.ModelPoll, log)
	return func() {
		stopPolicy()
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

// watchPolicy re-reads the policy in force and the running shadow every
// interval, so an activation, rollback, promotion or discard made through
// another replica reaches this one within it. The returned stop waits for
// it to end.
func watchPolicy(ctx context.Context, a *app, every time.Duration, log *slog.Logger) (stop func()) {
	if every <= 0 {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			if err := a.svc.RefreshPolicy(ctx); err != nil && ctx.Err() == nil {
				log.Warn("re-reading the policy failed; keeping the one in hand", "err", err)
			}
		}
	}()
	return func() {
		cancel()
		<-done
	}
}

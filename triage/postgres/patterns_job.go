package postgres

import (
	"context"
	"time"

	"github.com/riverqueue/river"
)

// patternsArgs is the periodic recomputation of recurring patterns.
type patternsArgs struct{}

// Kind names the job in river_job.
func (patternsArgs) Kind() string { return "patterns.detect" }

// patternsWorker runs the detection the runner was configured with.
type patternsWorker struct {
	river.WorkerDefaults[patternsArgs]
	detect func(context.Context) error
}

func (w *patternsWorker) Work(ctx context.Context, _ *river.Job[patternsArgs]) error {
	if w.detect == nil {
		return nil // a replica without detection configured leaves it to others
	}
	return w.detect(ctx)
}

// Timeout allows for a large window: embedding new open items and the
// pairwise comparison take longer than River's default minute.
func (w *patternsWorker) Timeout(*river.Job[patternsArgs]) time.Duration { return 15 * time.Minute }

// patternsJob is the periodic job of cfg, nil when detection is off.
func patternsJob(cfg RunnerConfig) *river.PeriodicJob {
	if cfg.Patterns == nil || cfg.PatternsEvery <= 0 {
		return nil
	}
	return river.NewPeriodicJob(river.PeriodicInterval(cfg.PatternsEvery),
		func() (river.JobArgs, *river.InsertOpts) { return patternsArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true})
}

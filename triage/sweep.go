package triage

import (
	"context"
	"time"
)

// Sweep defaults: a row received this long ago without a decision was
// left by a crash, an outage or a shutdown (a request decides within
// seconds); a pass takes at most this many.
const (
	DefaultSweepAfter = 10 * time.Second
	DefaultSweepBatch = 100
)

// Sweep triages exceptions accepted but never decided: a crash, an
// embedder or database outage, or a shutdown can leave them in received.
// It claims them with a lease, so several replicas sweeping at once share
// the work, and the one-decision rule settles any race with a request
// still deciding the same item. It returns how many it triaged.
func (s *Service) Sweep(ctx context.Context, after time.Duration, batch int) (int, error) {
	exs, err := s.store.ClaimStranded(ctx, after, batch)
	if err != nil || len(exs) == 0 {
		return 0, err
	}
	subs := make([]Submission, len(exs))
	todo := make([]int, len(exs))
	for i, ex := range exs {
		subs[i], todo[i] = Submission{Exception: ex}, i
	}
	if err := s.triageAll(ctx, subs, todo); err != nil {
		return 0, err
	}
	s.log.Info("swept exceptions left before triage", "count", len(exs))
	return len(exs), nil
}

// SweepBacklog sweeps batch after batch until nothing is left undecided
// for longer than after; the job system runs it periodically on one
// replica of the cluster.
func (s *Service) SweepBacklog(ctx context.Context, after time.Duration) (int, error) {
	total := 0
	for {
		n, err := s.Sweep(ctx, after, DefaultSweepBatch)
		total += n
		if err != nil || n < DefaultSweepBatch {
			return total, err
		}
	}
}

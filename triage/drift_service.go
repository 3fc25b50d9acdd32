package triage

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// DriftSource is the source of the exceptions schema drift raises; their
// id names the drift and the day, so a job that runs twice raises one.
const DriftSource = "billtriage-drift"

// DriftStore keeps what drift detection reads and finds.
type DriftStore interface {
	// RecentPayloads returns up to perSource of each source's latest
	// exceptions since since, oldest first, all but DriftSource's.
	RecentPayloads(ctx context.Context, since time.Time, perSource int) ([]Exception, error)
	// RecordDrift stores a finding unless the same drift was recorded
	// the same day, and reports whether it was new.
	RecordDrift(ctx context.Context, f DriftFinding) (DriftFinding, bool, error)
	// DriftFindings returns up to limit findings since since, newest
	// first.
	DriftFindings(ctx context.Context, since time.Time, limit int) ([]DriftFinding, error)
}

// MaxDriftFindings bounds a read of the findings.
const MaxDriftFindings = 500

// DetectDrift profiles each source's latest payloads against its own
// baseline (FindDrift) and records every drift not reported within the
// configured quiet time, raising for each an exception of type other in
// the integration owners' queue. The periodic job calls it.
func (s *Service) DetectDrift(ctx context.Context) ([]DriftFinding, error) {
	if s.drift == nil {
		return nil, Errorf(EUNAVAILABLE, "no drift store is configured")
	}
	cfg := s.driftCfg.WithDefaults()
	now := s.now().UTC()
	recs, err := s.drift.RecentPayloads(ctx, now.Add(-cfg.Lookback), cfg.Current+cfg.Baseline)
	if err != nil {
		return nil, err
	}
	recent, err := s.drift.DriftFindings(ctx, now.Add(-cfg.Quiet), MaxDriftFindings)
	if err != nil {
		return nil, err
	}
	quiet := map[string]bool{}
	for _, f := range recent {
		quiet[f.Key()] = true
	}
	var out []DriftFinding
	for _, f := range FindDrift(recs, cfg, quiet, now) {
		sub, err := s.raiseDrift(ctx, f, cfg.Queue)
		if err != nil {
			return out, err
		}
		f.ExceptionID = sub.Exception.ID
		saved, isNew, err := s.drift.RecordDrift(ctx, f)
		if err != nil {
			return out, err
		}
		if isNew {
			out = append(out, saved)
		}
	}
	return out, nil
}

// raiseDrift submits the finding's exception and moves it to the
// integration owners' queue when the policy routed it elsewhere.
func (s *Service) raiseDrift(ctx context.Context, f DriftFinding, q Queue) (Submission, error) {
	p := System("drift")
	subs, err := s.submit(ctx, p, []Exception{f.exception()})
	if err != nil {
		return Submission{}, err
	}
	sub := subs[0]
	if sub.Exception.Queue != q && sub.Exception.Status.Open() {
		ex, err := s.Reassign(ctx, p, sub.Exception.ID, q, "schema drift goes to the integration owners")
		if err != nil {
			return sub, err
		}
		sub.Exception = ex
	}
	return sub, nil
}

// exception is what a finding raises: type other, under DriftSource, its
// text naming the source, the change and the first offending records.
func (f DriftFinding) exception() Exception {
	day := f.DetectedAt.UTC().Format(time.DateOnly)
	return Exception{Source: DriftSource, ExternalID: fmt.Sprintf("%s/%s/%s/%s", f.Source, f.Kind, f.Field, day), Type: Other,
		OccurredAt: f.DetectedAt,
		Text: fmt.Sprintf("Schema drift in source %s: %s %s. Before: %s. After: %s. First records: %s.",
			f.Source, strings.ReplaceAll(string(f.Kind), "_", " "), f.Field, f.Before, f.After, strings.Join(f.Examples, ", ")),
		Attributes: map[string]any{"drift_source": f.Source, "drift_kind": string(f.Kind), "drift_field": f.Field}}
}

// DriftFindings returns the drift found in the last days days, newest
// first, to anyone who may read every queue or works the integration
// owners' queue.
func (s *Service) DriftFindings(ctx context.Context, p Principal, days int) ([]DriftFinding, error) {
	cfg := s.driftCfg.WithDefaults()
	if !p.CanReadAll() && !p.CanSee(cfg.Queue) {
		return nil, Authorize(false, p, "read schema drift")
	}
	if s.drift == nil {
		return nil, Errorf(EUNAVAILABLE, "no drift store is configured")
	}
	if days < 1 || days > 366 {
		return nil, Invalid("days", "must be between 1 and 366, not %d", days)
	}
	return s.drift.DriftFindings(ctx, s.now().Add(-time.Duration(days)*24*time.Hour), MaxDriftFindings)
}

package triage

import (
	"context"
	"fmt"
	"time"
)

// Detection is what one pass of pattern detection finds.
type Detection struct {
	Dims     []DimRule
	Patterns []Pattern
	Spikes   []Spike
}

// Detect finds the patterns among items and the spikes in them as of now:
// the dimensions are learned from the items, patterns grouped (see
// FindPatterns), spikes tested (see FindSpikes). The eval harness calls it
// on a generated history as the service's job does on the database's.
func Detect(items []PatternItem, now time.Time, cfg PatternConfig) Detection {
	cfg = cfg.withDefaults()
	dims := LearnDims(items)
	ps := FindPatterns(items, dims, now, cfg)
	sps := FindSpikes(items, ps, dims, now, cfg)
	for _, sp := range sps {
		if sp.Kind != SpikePattern {
			continue
		}
		for i := range ps {
			if ps[i].ID == sp.PatternID {
				c := sp
				ps[i].Spike = &c
			}
		}
	}
	return Detection{Dims: dims, Patterns: ps, Spikes: sps}
}

// DetectPatterns recomputes the patterns and spikes of the window ending
// now from the store and keeps them: the periodic job's work. Open items
// not yet embedded by the service's embedder are embedded once and their
// vectors kept. A spike is New when the previous run did not flag the same
// series.
func (s *Service) DetectPatterns(ctx context.Context, cfg PatternConfig) (PatternRun, error) {
	if s.patterns == nil {
		return PatternRun{}, Errorf(EUNAVAILABLE, "no pattern store is configured")
	}
	cfg = cfg.withDefaults()
	now := s.now().UTC()
	from := now.Add(-cfg.Window())
	items, err := s.patterns.PatternItems(ctx, from, s.embedder.Name(), cfg.MaxItems)
	if err != nil {
		return PatternRun{}, err
	}
	if err := s.embedOpen(ctx, items); err != nil {
		return PatternRun{}, err
	}
	det := Detect(items, now, cfg)
	prev, _, err := s.patterns.LatestPatternRun(ctx)
	if err != nil && ErrorCode(err) != ENOTFOUND {
		return PatternRun{}, err
	}
	markNew(det, prev.Spikes)
	run := PatternRun{At: now, From: from, Items: len(items), Patterns: len(det.Patterns), Spikes: det.Spikes}
	for _, d := range det.Dims {
		run.Dims = append(run.Dims, d.Name())
	}
	return s.patterns.SavePatternRun(ctx, run, det.Patterns, spikeEvents(det.Spikes, now)...)
}

// spikeEvents are the pattern.detected events of the spikes the previous
// run did not flag: a rise is announced once, not at every run it lasts.
func spikeEvents(spikes []Spike, at time.Time) []Event {
	var evs []Event
	for i := range spikes {
		if sp := spikes[i]; sp.New {
			evs = append(evs, newEvent(EventPatternDetected, at, EventData{Actor: SystemActor, Note: spikeNote(sp), Spike: &sp}))
		}
	}
	return evs
}

// spikeNote says what rose, by how much, and where it concentrates.
func spikeNote(sp Spike) string {
	what := string(sp.Type)
	if sp.RootCause != "" {
		what += "/" + sp.RootCause
	}
	if sp.Source != "" {
		what += " from " + sp.Source
	}
	note := fmt.Sprintf("%s: %d observed against %.1f expected (p=%.1e)", what, sp.Observed, sp.Expected, sp.PValue)
	if sp.Where != "" {
		note += ", at " + sp.Where
	}
	return note
}

// markNew marks the spikes on series the previous run did not flag.
func markNew(det Detection, prev []Spike) {
	seen := map[string]bool{}
	for _, sp := range prev {
		seen[sp.Key()] = true
	}
	for i := range det.Spikes {
		det.Spikes[i].New = !seen[det.Spikes[i].Key()]
	}
	for i := range det.Patterns {
		if sp := det.Patterns[i].Spike; sp != nil {
			sp.New = !seen[sp.Key()]
		}
	}
}

// embedBatch is how many open items are embedded per call.
const embedBatch = 64

// embedOpen embeds the open items that have no vector yet, with the text
// the service matches them by, and keeps the vectors.
func (s *Service) embedOpen(ctx context.Context, items []PatternItem) error {
	var todo []int
	for i, it := range items {
		if it.Vector == nil && it.Open && it.ExceptionID > 0 {
			todo = append(todo, i)
		}
	}
	for start := 0; start < len(todo); start += embedBatch {
		part := todo[start:min(start+embedBatch, len(todo))]
		texts, ids := make([]string, len(part)), make([]int64, len(part))
		for j, i := range part {
			texts[j], ids[j] = s.prepare(items[i].Text, items[i].Attributes), items[i].ExceptionID
		}
		vecs, err := s.embedder.Embed(ctx, texts)
		if err != nil {
			return Wrap(EUNAVAILABLE, err, "embedder %s failed", s.embedder.Name())
		}
		for j, i := range part {
			items[i].Vector = vecs[j]
		}
		if err := s.patterns.SavePatternVectors(ctx, s.embedder.Name(), ids, vecs); err != nil {
			return err
		}
	}
	return nil
}

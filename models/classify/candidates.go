package classify

import (
	"context"
	"sync"

	"github.com/billtriage/billtriage/triage"
)

// VersionSource reads one stored classifier version by its number, with
// the type and settings it was trained for.
type VersionSource interface {
	StoredVersion(ctx context.Context, version int64) (triage.Type, string, StoredModel, error)
}

// Candidates predicts with stored classifier versions other than the one
// in use, for a shadow (triage.CandidateClassifier). It decodes each
// version once and keeps the last one asked for, as one shadow runs at a
// time.
type Candidates struct {
	Source VersionSource
	// Settings are the Learner's: a version trained with others is
	// refused, as this build would not have trained it.
	Settings string

	mu      sync.Mutex
	version int64
	model   *Model
}

var _ triage.CandidateClassifier = (*Candidates)(nil)

// PredictWith implements triage.CandidateClassifier.
func (c *Candidates) PredictWith(ctx context.Context, version int64, t triage.Type, text string, vec []float32, ns []triage.Neighbor) ([]triage.ClassScore, error) {
	m, err := c.load(ctx, version, t)
	if err != nil {
		return nil, err
	}
	return predict(m, text, vec, ns), nil
}

func (c *Candidates) load(ctx context.Context, version int64, t triage.Type) (*Model, error) {
	c.mu.Lock()
	if c.version == version && c.model != nil {
		m := c.model
		c.mu.Unlock()
		return m, nil
	}
	c.mu.Unlock()
	typ, settings, sm, err := c.Source.StoredVersion(ctx, version)
	if err != nil {
		return nil, err
	}
	if typ != t || (c.Settings != "" && settings != c.Settings) {
		return nil, triage.Errorf(triage.ECONFLICT, "classifier version %d is of %s with settings %s, not of %s with %s", version, typ, settings, t, c.Settings)
	}
	var m Model
	if err := m.UnmarshalBinary(sm.Body); err != nil {
		return nil, triage.Wrap(triage.EINVALID, err, "stored classifier %d", version)
	}
	c.mu.Lock()
	c.version, c.model = version, &m
	c.mu.Unlock()
	return &m, nil
}

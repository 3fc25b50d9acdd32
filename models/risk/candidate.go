package risk

import (
	"context"
	"fmt"
	"sync"

	"github.com/billtriage/billtriage/features"
	"github.com/billtriage/billtriage/triage"
)

// ModelReader reads a stored model, active or not, with its body.
type ModelReader interface {
	StoredModel(ctx context.Context, version string) (triage.RiskModel, error)
}

// Candidates scores with a stored model other than the active one, for a
// risk-model shadow, from the same invoices and features as Scorer. It
// keeps the last model it decoded, since a shadow scores with one model
// for its whole run.
type Candidates struct {
	Scorer *Scorer
	Models ModelReader

	mu    sync.Mutex
	model *Model
}

var _ triage.CandidateScorer = (*Candidates)(nil)

// ScoreWith implements triage.CandidateScorer.
func (c *Candidates) ScoreWith(ctx context.Context, version string, ex triage.Exception) (*triage.Risk, error) {
	m, err := c.load(ctx, version)
	if err != nil {
		return nil, err
	}
	return c.Scorer.scoreWith(ctx, m, ex)
}

func (c *Candidates) load(ctx context.Context, version string) (*Model, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.model != nil && c.model.Version() == version {
		return c.model, nil
	}
	rec, err := c.Models.StoredModel(ctx, version)
	if err != nil {
		return nil, err
	}
	if rec.FeatureHash != features.FeatureHash() {
		return nil, fmt.Errorf("%w: model %s was trained with features %s, this build computes %s",
			ErrFeatureMismatch, rec.Version, rec.FeatureHash, features.FeatureHash())
	}
	m, err := Decode(rec.Body)
	if err != nil {
		return nil, err
	}
	c.model = m
	return m, nil
}

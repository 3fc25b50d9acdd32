package risk

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/billtriage/billtriage/features"
	"github.com/billtriage/billtriage/triage"
)

// Scorer serves the registry's active model to the triage service. It
// checks the registry for a newly activated model at most every Recheck,
// so `billtriage models activate` takes effect without a restart.
type Scorer struct {
	Invoices triage.InvoiceStore
	Registry triage.ModelStore
	Recheck  time.Duration // default 5 s: a model activated on one replica reaches every replica within seconds

	mu      sync.Mutex
	model   *Model
	checked time.Time
	loadErr error
}

var _ triage.RiskScorer = (*Scorer)(nil)

// Score implements triage.RiskScorer: the risk of ex's invoice as known
// when the exception occurred.
func (s *Scorer) Score(ctx context.Context, ex triage.Exception) (*triage.Risk, error) {
	m, err := s.current(ctx)
	if m == nil || err != nil {
		return nil, err
	}
	return s.scoreWith(ctx, m, ex)
}

// scoreWith scores ex's invoice with m.
func (s *Scorer) scoreWith(ctx context.Context, m *Model, ex triage.Exception) (*triage.Risk, error) {
	if ex.InvoiceID == "" {
		return nil, nil
	}
	inv, err := s.Invoices.Invoice(ctx, ex.InvoiceID)
	if triage.ErrorCode(err) == triage.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	// A dispute exception is itself the news that the invoice is disputed,
	// whether or not the billing system has flagged it yet.
	if ex.Type == triage.BillingDispute {
		inv.Disputed = true
	}
	at := ex.OccurredAt
	hist, err := s.Invoices.CustomerInvoices(ctx, inv.CustomerID, at)
	if err != nil {
		return nil, err
	}
	open, err := s.Invoices.OpenExceptions(ctx, inv.CustomerID)
	if err != nil {
		return nil, err
	}
	r := m.Score(inv, otherInvoices(hist, inv.InvoiceID), open, at)
	return &r, nil
}

// current returns the active model, reloading it when the registry's
// active version changed. No active model is not an error: risk is then
// simply not scored.
func (s *Scorer) current(ctx context.Context) (*Model, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	recheck := s.Recheck
	if recheck == 0 {
		recheck = 5 * time.Second
	}
	if !s.checked.IsZero() && time.Since(s.checked) < recheck {
		return s.model, s.loadErr
	}
	s.checked = time.Now()
	v, err := s.Registry.ActiveModelVersion(ctx)
	if err != nil || v == "" || (s.model != nil && s.model.Version() == v) {
		if v == "" {
			s.model, s.loadErr = nil, nil
		}
		return s.model, err
	}
	s.model, s.loadErr = LoadActive(ctx, s.Registry)
	return s.model, s.loadErr
}

// LoadActive decodes the registry's active model. A model trained with
// other feature code is refused with ErrFeatureMismatch rather than scored
// with misaligned inputs.
func LoadActive(ctx context.Context, reg triage.ModelStore) (*Model, error) {
	rec, err := reg.ActiveModel(ctx)
	if err != nil {
		return nil, err
	}
	if rec.FeatureHash != features.FeatureHash() {
		return nil, fmt.Errorf("%w: model %s was trained with features %s, this build computes %s; retrain with `billtriage train`",
			ErrFeatureMismatch, rec.Version, rec.FeatureHash, features.FeatureHash())
	}
	return Decode(rec.Body)
}

// Record turns a trained model into a registry entry.
func Record(m *Model) (triage.RiskModel, error) {
	body, err := m.Encode()
	if err != nil {
		return triage.RiskModel{}, err
	}
	rep := m.Report()
	chosen := rep.Logistic.Validate
	if rep.Chosen == Forest {
		chosen = rep.Forest.Validate
	}
	return triage.RiskModel{Version: m.Version(), Family: string(m.Family()), FeatureHash: features.FeatureHash(),
		Features: features.Names(), LateDays: m.Options().LateDays, TrainedFrom: rep.Periods.Train[0], TrainedTo: rep.Periods.Train[1],
		Metrics: map[string]any{"validation_auc": chosen.AUC, "validation_brier": chosen.Brier, "validation_ece": chosen.ECE,
			"logistic_auc": rep.Logistic.Validate.AUC, "forest_auc": rep.Forest.Validate.AUC, "history_rule_auc": rep.History.AUC,
			"rows": rep.Rows, "chosen": rep.Chosen, "reason": rep.Reason},
		Body: body}, nil
}

func otherInvoices(hist []triage.Invoice, id string) []triage.Invoice {
	out := make([]triage.Invoice, 0, len(hist))
	for _, h := range hist {
		if h.InvoiceID != id {
			out = append(out, h)
		}
	}
	return out
}

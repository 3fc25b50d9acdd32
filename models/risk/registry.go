package risk

// The workflow around the model: what the train and models commands and an
// eval replay do with it (fit as of the newest invoice, summarise the
// hold-out, save to and activate in the registry).

import (
	"context"
	"time"

	"github.com/billtriage/billtriage/features"
	"github.com/billtriage/billtriage/triage"
)

// TrainOptions configure TrainLatest.
type TrainOptions struct {
	// LateDays is how many days past due an invoice may be paid before it
	// counts as late (features.DefaultLateDays on the project's data).
	LateDays int
	// FX converts amounts to USD, as the policy's FXToUSD.
	FX map[string]float64
	// Seed seeds the forest's sampling.
	Seed uint64
	// Split is the oldest share of invoices that fits and calibrates the
	// model, 3:1; the newest rest is the hold-out.
	Split float64
	// Progress is Config.Progress.
	Progress func(done, total int)
}

// TrainLatest fits a model on invs as of the newest issue date among
// them, so that the labels are what was known then.
func TrainLatest(invs []triage.Invoice, o TrainOptions) (*Model, Report, error) {
	return TrainInvoices(invs, nil, LatestIssue(invs), Config{
		Features: features.Options{LateDays: o.LateDays, FX: o.FX}, Seed: o.Seed,
		TrainFrac: o.Split * 0.75, CalibrateFrac: o.Split * 0.25, Progress: o.Progress})
}

// LatestIssue is the newest issue date of invs, zero when there are none.
func LatestIssue(invs []triage.Invoice) time.Time {
	var t time.Time
	for _, in := range invs {
		if in.IssuedAt.After(t) {
			t = in.IssuedAt
		}
	}
	return t
}

// Holdout summarises the served model's metrics on the newest slice,
// which it never saw, beside those of the other family and of the
// history rule, as one JSON object.
func Holdout(m *Model, rep Report) map[string]any {
	v := rep.Logistic.Validate
	if rep.Chosen == Forest {
		v = rep.Forest.Validate
	}
	return map[string]any{"auc": v.AUC, "brier": v.Brier, "ece": v.ECE, "log_loss": v.LogLoss, "rows": v.N,
		"algorithm": string(m.Family()), "version": m.Version(),
		"logistic_auc": rep.Logistic.Validate.AUC, "forest_auc": rep.Forest.Validate.AUC, "history_rule_auc": rep.History.AUC}
}

// Saver is the part of the registry that stores a model.
type Saver interface {
	SaveModel(ctx context.Context, m triage.RiskModel) error
}

// Save stores m in the registry, inactive, and returns its entry.
func Save(ctx context.Context, st Saver, m *Model) (triage.RiskModel, error) {
	rec, err := Record(m)
	if err != nil {
		return rec, err
	}
	return rec, st.SaveModel(ctx, rec)
}

// Activate makes version the active model after checking that it was
// trained with the features this build computes, as the service does.
func Activate(ctx context.Context, st triage.ModelStore, version string) error {
	return triage.ActivateChecked(ctx, st, version, features.FeatureHash())
}

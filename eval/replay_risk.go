package eval

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/billtriage/billtriage/features"
	"github.com/billtriage/billtriage/models/risk"
	"github.com/billtriage/billtriage/triage"
)

// RiskStore is what PrepareRisk needs of the run's store: somewhere to
// keep the invoices and a model registry.
type RiskStore interface {
	UpsertInvoices(ctx context.Context, invs []triage.Invoice) error
	SaveModel(ctx context.Context, m triage.RiskModel) error
	ActivateModel(ctx context.Context, version string) error
}

// PrepareRisk makes the replay use a risk model as production does: the
// invoices go into the run's store, a model is trained on the invoices
// issued before the split (with the labels known then) and activated in
// the store's registry, so the service scores risk and the policy's risk
// gate applies; the same model is scored on the later invoices for the
// report (cfg.Risk). fx is the policy's FXToUSD. Without invoices it does
// nothing; with too few to train on it says so on log and the run reports
// without risk.
func PrepareRisk(ctx context.Context, st RiskStore, cfg *Config, fx map[string]float64, log io.Writer) error {
	if len(cfg.Invoices) == 0 {
		return nil
	}
	split, err := SplitItems(cfg.Input.Items, cfg.Split, cfg.SplitAt)
	if err != nil {
		return err
	}
	all := cfg.Invoices
	if err := risk.StoreInvoices(ctx, st, all); err != nil {
		return err
	}
	var before []triage.Invoice
	for _, in := range all {
		if in.IssuedAt.Before(split.At) {
			before = append(before, in)
		}
	}
	opts := features.Options{LateDays: features.DefaultLateDays, FX: fx}
	m, rep, err := risk.TrainInvoices(before, nil, split.At, risk.Config{Features: opts, Seed: 1})
	if err != nil {
		// Too few settled invoices before the split is a fact about the
		// data, not a failure of the run: report without risk.
		fmt.Fprintf(log, "eval: no risk model: %v\n", err)
		return nil
	}
	fmt.Fprintf(log, "eval: risk model %s trained on %d invoices before %s (%s)\n%s", m.Version(), len(before),
		split.At.Format(time.DateOnly), rep.Reason, rep)
	rec, err := risk.Save(ctx, st, m)
	if err == nil {
		err = st.ActivateModel(ctx, rec.Version)
	}
	cfg.Risk = &replayRisk{m: m, all: all, end: risk.LatestIssue(all)}
	return err
}

// replayRisk scores each test invoice as known at its issue date and
// compares with its outcome as known at the end of the data.
type replayRisk struct {
	m   *risk.Model
	all []triage.Invoice
	end time.Time
}

// Name names the model by version and family in the report.
func (r *replayRisk) Name() string { return fmt.Sprintf("%s (%s)", r.m.Version(), r.m.Family()) }

// Score scores inv with only the customer's earlier invoices as history.
// An invoice whose lateness window is still open at the end of the data is
// left out even when it is already paid: keeping those paid early while
// those that will be late are unknown would make the test invoices look
// more punctual than they are, and any honest model over-predict (the
// model trains under the same rule, risk.TrainingSet).
func (r *replayRisk) Score(_ context.Context, inv triage.Invoice) (float64, bool, bool, error) {
	lateDays := r.m.Options().LateDays
	if !risk.WindowClosed(inv, lateDays, r.end) {
		return 0, false, false, nil
	}
	bad, _ := features.Label(inv, lateDays, r.end)
	var hist []triage.Invoice
	for _, h := range r.all {
		if h.CustomerID == inv.CustomerID && h.InvoiceID != inv.InvoiceID && h.IssuedAt.Before(inv.IssuedAt) {
			hist = append(hist, h)
		}
	}
	return r.m.Score(inv, hist, 0, inv.IssuedAt).Probability, bad, true, nil
}

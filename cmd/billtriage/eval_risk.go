package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/billtriage/billtriage/eval"
	"github.com/billtriage/billtriage/features"
	"github.com/billtriage/billtriage/models/risk"
	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
)

// prepareRisk makes the replay use a risk model as production does: the
// invoices go into the run's schema, a model is trained on the invoices
// issued before the split (with the labels known then) and activated in
// the schema's registry, so the service scores risk and the policy's risk
// gate applies; the same model is scored on the later invoices for the
// report.
func prepareRisk(ctx context.Context, st *postgres.Store, rc *eval.Config, pol *triage.Policy, log io.Writer) error {
	if len(rc.Invoices) == 0 {
		return nil
	}
	split, err := eval.SplitItems(rc.Input.Items, rc.Split, rc.SplitAt)
	if err != nil {
		return err
	}
	all := rc.Invoices
	if err := storeInvoices(ctx, st, all); err != nil {
		return err
	}
	var before []triage.Invoice
	for _, in := range all {
		if in.IssuedAt.Before(split.At) {
			before = append(before, in)
		}
	}
	opts := features.Options{LateDays: features.DefaultLateDays, FX: pol.FXToUSD}
	m, rep, err := risk.TrainInvoices(before, nil, split.At, risk.Config{Features: opts, Seed: 1})
	if err != nil {
		// Too few settled invoices before the split is a fact about the
		// data, not a failure of the run: report without risk.
		fmt.Fprintf(log, "eval: no risk model: %v\n", err)
		return nil
	}
	fmt.Fprintf(log, "eval: risk model %s trained on %d invoices before %s (%s)\n", m.Version(), len(before),
		split.At.Format(time.DateOnly), rep.Reason)
	rec, err := risk.Record(m)
	if err == nil {
		err = st.SaveModel(ctx, rec)
	}
	if err == nil {
		err = st.ActivateModel(ctx, rec.Version)
	}
	rc.Risk = &replayRisk{m: m, all: all, end: latestIssue(all)}
	return err
}

func storeInvoices(ctx context.Context, st *postgres.Store, invs []triage.Invoice) error {
	for start := 0; start < len(invs); start += 1000 {
		if err := st.UpsertInvoices(ctx, invs[start:min(start+1000, len(invs))]); err != nil {
			return err
		}
	}
	return nil
}

// replayRisk scores each test invoice as known at its issue date and
// compares with its outcome as known at the end of the data.
type replayRisk struct {
	m   *risk.Model
	all []triage.Invoice
	end time.Time
}

func (r *replayRisk) Name() string { return fmt.Sprintf("%s (%s)", r.m.Version(), r.m.Family()) }

func (r *replayRisk) Score(_ context.Context, inv triage.Invoice) (float64, bool, bool, error) {
	bad, known := features.Label(inv, r.m.Options().LateDays, r.end)
	if !known {
		return 0, false, false, nil
	}
	var hist []triage.Invoice
	for _, h := range r.all {
		if h.CustomerID == inv.CustomerID && h.InvoiceID != inv.InvoiceID && h.IssuedAt.Before(inv.IssuedAt) {
			hist = append(hist, h)
		}
	}
	return r.m.Score(inv, hist, 0, inv.IssuedAt).Probability, bad, true, nil
}

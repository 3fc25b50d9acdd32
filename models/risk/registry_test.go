package risk_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/dataset/generate"
	"github.com/billtriage/billtriage/features"
	"github.com/billtriage/billtriage/models/risk"
	"github.com/billtriage/billtriage/triage"
)

// registry is an in-memory triage.ModelStore.
type registry struct {
	triage.ModelStore // the methods the tests do not call
	models            []triage.RiskModel
	active            string
}

func (r *registry) SaveModel(_ context.Context, m triage.RiskModel) error {
	r.models = append(r.models, m)
	return nil
}

func (r *registry) ListModels(context.Context) ([]triage.RiskModel, error) { return r.models, nil }

func (r *registry) ActivateModel(_ context.Context, version string) error {
	r.active = version
	return nil
}

// generatedInvoices reads the synthetic generator's invoices back from
// their CSV, as the train command does with a file.
func generatedInvoices(t *testing.T) []triage.Invoice {
	t.Helper()
	_, invs, err := generate.Generate(generate.Config{Seed: 7, Exceptions: 1, Invoices: 1500})
	if err != nil {
		t.Fatal(err)
	}
	var csv bytes.Buffer
	if err := dataset.WriteInvoices(&csv, invs); err != nil {
		t.Fatal(err)
	}
	out, lineErrs, err := risk.ReadInvoices(&csv)
	if err != nil || len(lineErrs) > 0 || len(out) != len(invs) {
		t.Fatalf("ReadInvoices: %d invoices of %d, line errors %v, error %v", len(out), len(invs), lineErrs, err)
	}
	return out
}

func TestTrainSaveAndActivate(t *testing.T) {
	ctx := context.Background()
	m, rep, err := risk.TrainLatest(generatedInvoices(t), risk.TrainOptions{LateDays: features.DefaultLateDays, Seed: 1, Split: 0.8})
	if err != nil {
		t.Fatalf("Train: %v", err)
	}
	h := risk.Holdout(m, rep)
	if h["version"] != m.Version() || h["algorithm"] != string(m.Family()) || h["rows"].(int) == 0 {
		t.Errorf("Holdout = %v, want the model's version, family and hold-out rows", h)
	}
	reg := &registry{}
	rec, err := risk.Save(ctx, reg, m)
	if err != nil || len(reg.models) != 1 || rec.Version != m.Version() || reg.active != "" {
		t.Fatalf("Save: %v; registry %d models, active %q", err, len(reg.models), reg.active)
	}
	if err := risk.Activate(ctx, reg, rec.Version); err != nil || reg.active != rec.Version {
		t.Errorf("Activate: %v; active %q, want %q", err, reg.active, rec.Version)
	}
}

func TestActivateRefusesAStaleModel(t *testing.T) {
	reg := &registry{models: []triage.RiskModel{{Version: "old", FeatureHash: "features-of-an-older-build"}}}
	err := risk.Activate(context.Background(), reg, "old")
	if err == nil || !strings.Contains(err.Error(), "retrain") || reg.active != "" {
		t.Errorf("Activate(stale) = %v, active %q; want a refusal", err, reg.active)
	}
}

func TestLatestIssue(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2025, 3, d, 0, 0, 0, 0, time.UTC) }
	invs := []triage.Invoice{{IssuedAt: day(3)}, {IssuedAt: day(9)}, {IssuedAt: day(1)}}
	if got := risk.LatestIssue(invs); !got.Equal(day(9)) {
		t.Errorf("LatestIssue = %v, want %v", got, day(9))
	}
	if got := risk.LatestIssue(nil); !got.IsZero() {
		t.Errorf("LatestIssue(nil) = %v, want zero", got)
	}
}

// upserter records the size of each batch.
type upserter struct{ batches []int }

func (u *upserter) UpsertInvoices(_ context.Context, invs []triage.Invoice) error {
	u.batches = append(u.batches, len(invs))
	return nil
}

func TestStoreInvoicesInBatches(t *testing.T) {
	u := &upserter{}
	if err := risk.StoreInvoices(context.Background(), u, make([]triage.Invoice, 2500)); err != nil {
		t.Fatal(err)
	}
	if len(u.batches) != 3 || u.batches[0] != 1000 || u.batches[2] != 500 {
		t.Errorf("batches %v, want 1000, 1000, 500", u.batches)
	}
}

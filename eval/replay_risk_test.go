package eval_test

import (
	"bytes"
	"context"
	"sort"
	"testing"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/dataset/generate"
	"github.com/billtriage/billtriage/eval"
	"github.com/billtriage/billtriage/models/risk"
	"github.com/billtriage/billtriage/triage"
)

// memRiskStore is the part of the run's store PrepareRisk uses, in memory:
// the risk replay needs no database, so its figures can be checked without
// the whole eval.
type memRiskStore struct{}

func (memRiskStore) UpsertInvoices(context.Context, []triage.Invoice) error { return nil }
func (memRiskStore) SaveModel(context.Context, triage.RiskModel) error      { return nil }
func (memRiskStore) ActivateModel(context.Context, string) error            { return nil }

// demoReplayRisk runs the risk half of `make eval` on the demo's generated
// set (seed 42, 5,000 exceptions, 3,000 invoices, split 0.7): PrepareRisk
// trains on the invoices before the split and the invoices issued from the
// split on are scored, as eval.Run does, after a round trip through the
// invoice CSV the command reads.
func demoReplayRisk(t *testing.T) risk.Metrics {
	t.Helper()
	recs, invs, err := generate.Generate(generate.Config{Seed: 42, Exceptions: 5000, Invoices: 3000})
	if err != nil {
		t.Fatal(err)
	}
	var ex, csv bytes.Buffer
	if err := dataset.WriteRecords(&ex, recs); err != nil {
		t.Fatal(err)
	}
	if err := dataset.WriteInvoices(&csv, invs); err != nil {
		t.Fatal(err)
	}
	in, err := eval.ReadInput(&ex)
	if err != nil {
		t.Fatal(err)
	}
	invs, _, err = risk.ReadInvoices(&csv)
	if err != nil {
		t.Fatal(err)
	}
	cfg := eval.Config{Input: in, Split: 0.7, Invoices: invs}
	ctx := context.Background()
	if err := eval.PrepareRisk(ctx, memRiskStore{}, &cfg, triage.DefaultPolicy().FXToUSD, tlog{t}); err != nil {
		t.Fatal(err)
	}
	if cfg.Risk == nil {
		t.Fatal("no risk model was trained")
	}
	split, err := eval.SplitItems(in.Items, 0.7, cfg.SplitAt)
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(invs, func(i, j int) bool { return invs[i].InvoiceID < invs[j].InvoiceID })
	var p []float64
	var y []bool
	for _, inv := range invs {
		if inv.IssuedAt.Before(split.At) {
			continue
		}
		pr, bad, ok, err := cfg.Risk.Score(ctx, inv)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			p, y = append(p, pr), append(y, bad)
		}
	}
	return risk.Evaluate(p, y)
}

// tlog writes PrepareRisk's lines, the training report among them, to the
// test log.
type tlog struct{ t *testing.T }

func (l tlog) Write(b []byte) (int, error) { l.t.Log(string(b)); return len(b), nil }

// TestReplayRiskCalibration holds the risk figures `make eval` reports on
// the generated set (metrics.json risk.*) without running the replay.
// Before issue 14 they were AUC 0.793763, Brier 0.101902, ECE 0.091590 on
// 486 invoices, of which 213 were still inside their lateness window at
// the end of the data and counted only because they had been paid early.
// The replay's AUC must be no lower than that. Its ECE is held to the
// before figure, not to the 0.05 (met by the training report's
// validation slice, models/risk TestRiskCalibration): on the 273 invoices
// left, outcomes drawn from the model's own predictions, i.e. a perfectly
// calibrated model, give an ECE of 0.045 on average and above 0.066 one
// time in ten, so 0.05 would be a coin toss here.
func TestReplayRiskCalibration(t *testing.T) {
	m := demoReplayRisk(t)
	t.Logf("replay risk: n %d, late %d, AUC %.6f, Brier %.6f, ECE %.6f, log loss %.6f", m.N, m.Positives, m.AUC, m.Brier, m.ECE, m.LogLoss)
	tests := []struct {
		name      string
		got, want float64
		higher    bool
	}{
		{"AUC", m.AUC, 0.793763, true},
		{"ECE", m.ECE, 0.091590, false},
	}
	for _, tt := range tests {
		if tt.higher && tt.got < tt.want || !tt.higher && tt.got > tt.want {
			t.Errorf("replay %s %.6f, before issue 14 %.6f", tt.name, tt.got, tt.want)
		}
	}
}

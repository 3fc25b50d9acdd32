package eval_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
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

// replayRisk runs the risk half of `make eval` on a generated set (the
// demo's sizes: 5,000 exceptions, 3,000 invoices, split 0.7) of the given
// seed: PrepareRisk trains on the invoices before the split and the
// invoices issued from the split on are scored, as eval.Run does, after a
// round trip through the invoice CSV the command reads. It returns the
// predictions and outcomes the replay's risk.* figures are computed from.
func replayRisk(t *testing.T, seed int64) ([]float64, []bool) {
	t.Helper()
	recs, invs, err := generate.Generate(generate.Config{Seed: seed, Exceptions: 5000, Invoices: 3000})
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
	return p, y
}

// tlog writes PrepareRisk's lines, the training report among them, to the
// test log.
type tlog struct{ t *testing.T }

func (l tlog) Write(b []byte) (int, error) { l.t.Log(string(b)); return len(b), nil }

// TestReplayRiskCalibration holds the risk figures `make eval` reports
// (metrics.json risk.*) on generated sets of three seeds, without running
// the replay; seed 42 is the demo's. Before issue 14 seed 42 gave AUC
// 0.793763, Brier 0.101902, ECE 0.091590 on 486 invoices, 213 of them
// still inside their lateness window. The bounds are today's figures: AUC
// no lower, ECE no higher (to four decimals).
//
// The ECE is not held to the 0.05 here (the training report's
// validation slice is, models/risk TestRiskCalibration): the replay judges
// 240 to 273 invoices, on which a perfectly calibrated model (outcomes
// drawn from its own predictions) averages an ECE of about 0.05, and even
// a Platt fit on the test invoices themselves, which no model trained
// before the split can match, stays above 0.05 on seeds 7 and 11. The
// test logs those figures, a bootstrap interval and the equal-count ECE,
// so a change can be judged against the noise rather than one draw.
func TestReplayRiskCalibration(t *testing.T) {
	tests := []struct {
		seed          int64
		minAUC, maxEC float64
	}{
		{42, 0.8126, 0.0712},
		{7, 0.8013, 0.0569},
		{11, 0.8174, 0.1136},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("seed %d", tt.seed), func(t *testing.T) {
			p, y := replayRisk(t, tt.seed)
			m := risk.Evaluate(p, y)
			t.Logf("replay risk: n %d, late %d, AUC %.6f, Brier %.6f, ECE %.6f, log loss %.6f", m.N, m.Positives, m.AUC, m.Brier, m.ECE, m.LogLoss)
			logECEContext(t, p, y)
			if m.AUC < tt.minAUC {
				t.Errorf("replay AUC %.6f, want at least %.6f", m.AUC, tt.minAUC)
			}
			if m.ECE > tt.maxEC {
				t.Errorf("replay ECE %.6f, want at most %.6f", m.ECE, tt.maxEC)
			}
		})
	}
}

// logECEContext logs what an ECE on few invoices can and cannot say: the
// ECE a perfectly calibrated model would score on the same predictions
// (mean and 90th percentile of 2,000 draws of outcomes from p), a 90%
// bootstrap interval of the observed ECE, the ECE with equal-count bins
// (risk.Reliability's deciles) and that of a Platt fit on these very
// outcomes, the best any monotone two-parameter recalibration could do.
// The random draws use a fixed seed so the log is the same every run.
func logECEContext(t *testing.T, p []float64, y []bool) {
	t.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	const draws = 2000
	perfect, boot := make([]float64, draws), make([]float64, draws)
	yy, pp := make([]bool, len(p)), make([]float64, len(p))
	for d := range draws {
		for i := range p {
			yy[i] = r.Float64() < p[i]
		}
		perfect[d] = risk.ECE(p, yy, 10)
		for i := range p {
			k := r.IntN(len(p))
			pp[i], yy[i] = p[k], y[k]
		}
		boot[d] = risk.ECE(pp, yy, 10)
	}
	slices.Sort(perfect)
	slices.Sort(boot)
	var mean, adaptive float64
	for _, e := range perfect {
		mean += e / draws
	}
	for _, b := range risk.Reliability(p, y, 10) {
		adaptive += float64(b.N) / float64(len(p)) * math.Abs(b.Predicted-b.Observed)
	}
	z := make([]float64, len(p))
	for i, v := range p {
		v = min(max(v, 1e-9), 1-1e-9)
		z[i] = math.Log(v / (1 - v))
	}
	oracle, err := risk.FitCalibration(risk.Platt, z, y)
	if err != nil {
		t.Fatal(err)
	}
	for i := range z {
		pp[i] = oracle.Apply(z[i])
	}
	t.Logf("ECE context: perfectly calibrated model %.4f on average, %.4f at the 90th percentile; bootstrap 90%% interval %.4f–%.4f; equal-count deciles %.4f; Platt fitted on these outcomes %.4f",
		mean, perfect[draws*9/10], boot[draws/20], boot[draws*19/20], adaptive, risk.ECE(pp[:len(z)], y, 10))
}

package risk_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/billtriage/billtriage/features"
	"github.com/billtriage/billtriage/models/risk"
	"github.com/billtriage/billtriage/triage"
)

// driftRows are n rows a day apart whose one informative column, x,
// sets the log-odds of lateness, x + shift, where shift moves from
// before to after once the first trainFrac of the rows are past: the
// late share drifts after the training slice, as it does in real ledgers.
func driftRows(n int, trainFrac, before, after float64) ([][]float64, []bool, []time.Time) {
	r := rand.New(rand.NewPCG(3, 14))
	col := slices.Index(features.Names(), "log_amount_usd")
	rows, y, times := make([][]float64, n), make([]bool, n), make([]time.Time, n)
	for i := range n {
		rows[i] = make([]float64, features.NumFeatures)
		x := r.NormFloat64()
		rows[i][col] = x
		shift := before
		if float64(i) >= trainFrac*float64(n) {
			shift = after
		}
		y[i] = r.Float64() < 1/(1+math.Exp(-(x+shift)))
		times[i] = synthStart.AddDate(0, 0, i)
	}
	return rows, y, times
}

// TestCalibrationUsesLaterSlice checks that the calibration is fitted on
// the slice after the training rows, not on them: when the late share
// drifts after training, the calibrated probabilities on the calibration
// slice average that slice's late share, not the training slice's, for
// both families, and the three slices follow each other in time.
func TestCalibrationUsesLaterSlice(t *testing.T) {
	tests := []struct {
		name          string
		family        risk.Family
		before, after float64
	}{
		{"logistic, risk rises", risk.Logistic, -1.5, 0.5},
		{"logistic, risk falls", risk.Logistic, 0.5, -1.5},
		{"forest, risk rises", risk.Forest, -1.5, 0.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, y, times := driftRows(2000, 0.6, tt.before, tt.after)
			m, rep, err := risk.Train(rows, y, times, risk.Config{Family: tt.family, Seed: 1, Forest: risk.ForestConfig{Trees: 20}})
			if err != nil {
				t.Fatal(err)
			}
			if p := rep.Periods; !p.Calibrate[0].After(p.Train[1]) || !p.Validate[0].After(p.Calibrate[1]) {
				t.Fatalf("slices out of order: %+v", p)
			}
			sp, err := risk.TemporalSplit(times, 0.6, 0.2)
			if err != nil {
				t.Fatal(err)
			}
			share := func(idx []int) float64 {
				var s float64
				for _, i := range idx {
					if y[i] {
						s++
					}
				}
				return s / float64(len(idx))
			}
			var mean float64
			for _, i := range sp.Calibrate {
				mean += m.Probability(rows[i]) / float64(len(sp.Calibrate))
			}
			train, cal := share(sp.Train), share(sp.Calibrate)
			t.Logf("late share: training %.3f, calibration %.3f; mean calibrated p on the calibration slice %.3f", train, cal, mean)
			if math.Abs(mean-cal) > 0.02 {
				t.Errorf("mean calibrated p %.3f, calibration slice's late share %.3f: not fitted there", mean, cal)
			}
			if math.Abs(train-cal) < 0.15 {
				t.Fatalf("the drift is too small to tell the slices apart: %.3f against %.3f", train, cal)
			}
		})
	}
}

// TestRiskCalibration is issue 14's bar for the risk model, on real data
// and the demo's generated invoices, trained as `billtriage train` trains
// (risk.TrainLatest, --split 0.8, seed 1): the serving model's validation
// ECE at most 0.05 and its AUC no lower than before the issue (generated
// 0.811 with logistic serving, IBM 0.920 measured with `billtriage train
// --late-after-days 0`), and a reliability table of ten deciles stored in
// the report. The IBM sample is required under CI (see ibmInvoices).
func TestRiskCalibration(t *testing.T) {
	tests := []struct {
		name     string
		invoices func(testing.TB) []triage.Invoice
		opts     risk.TrainOptions
		minAUC   float64
	}{
		{"generated", func(testing.TB) []triage.Invoice { return demoInvoices() },
			risk.TrainOptions{LateDays: features.DefaultLateDays, FX: demoConfig().Features.FX, Seed: 1, Split: 0.8}, 0.811},
		{"IBM", ibmInvoices, risk.TrainOptions{LateDays: features.IBMLateDays, Seed: 1, Split: 0.8}, 0.920},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, rep, err := risk.TrainLatest(tt.invoices(t), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("\n%s", rep)
			served := rep.Logistic
			if m.Family() == risk.Forest {
				served = rep.Forest
			}
			if got := served.Validate.ECE; got > 0.05 {
				t.Errorf("validation ECE %.4f, want at most 0.05", got)
			}
			if got := served.Validate.AUC; got < tt.minAUC {
				t.Errorf("validation AUC %.4f, want at least %.3f", got, tt.minAUC)
			}
			if other := rep.Forest.Validate.LogLoss; m.Family() == risk.Logistic && other < served.Validate.LogLoss {
				t.Errorf("logistic serves with log loss %.4f although the forest's is %.4f", served.Validate.LogLoss, other)
			}
			if n := len(served.Deciles); n != 10 {
				t.Errorf("%d deciles in the report, want 10", n)
			}
		})
	}
}

// TestFactorsDoNotContradict checks the explanations of the model served
// on the demo invoices: no fact, by name or by words, appears twice in one
// prediction, so none can both raise and lower the risk.
func TestFactorsDoNotContradict(t *testing.T) {
	m := demoModel(t, demoConfig())
	invs := demoInvoices()
	rows, _, _, err := risk.TrainingSet(invs, nil, latestIssue(invs), m.Options())
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range rows {
		_, facts := m.Predict(row)
		feature, words := map[string]bool{}, map[string]bool{}
		for _, f := range facts {
			bare := f.Words[:len(f.Words)-len(" (raises the risk)")]
			if f.Effect < 0 {
				bare = f.Words[:len(f.Words)-len(" (lowers the risk)")]
			}
			if feature[f.Feature] || words[bare] {
				t.Fatalf("row %d: fact %s (%q) appears twice in %+v", i, f.Feature, bare, facts)
			}
			feature[f.Feature], words[bare] = true, true
		}
	}
}

package risk_test

import (
	"math"
	"testing"

	"github.com/billtriage/billtriage/features"
	"github.com/billtriage/billtriage/models/risk"
)

// TestProbabilityEqualsPredict: the fast path must return Predict's
// probability to the bit, for both families and both calibrations, on
// every row of the demo invoices (those still open at training time
// included), before and after storage, and without allocating.
func TestProbabilityEqualsPredict(t *testing.T) {
	rows := features.BuildAll(demoInvoices(), nil, demoConfig().Features)
	for _, family := range []risk.Family{risk.Logistic, risk.Forest} {
		for _, cal := range []string{risk.Platt, risk.Isotonic} {
			t.Run(string(family)+"/"+cal, func(t *testing.T) {
				cfg := demoConfig()
				cfg.Family, cfg.Calibration = family, cal
				m := demoModel(t, cfg)
				if m.Family() != family || m.Report().Chosen != family {
					t.Fatalf("configured %s, serving %s", family, m.Family())
				}
				b, err := m.Encode()
				if err != nil {
					t.Fatal(err)
				}
				back, err := risk.Decode(b)
				if err != nil {
					t.Fatal(err)
				}
				for i, x := range rows {
					want, _ := m.Predict(x)
					if got := m.Probability(x); math.Float64bits(got) != math.Float64bits(want) {
						t.Fatalf("row %d: Probability %v, Predict %v", i, got, want)
					}
					if got := back.Probability(x); math.Float64bits(got) != math.Float64bits(want) {
						t.Fatalf("row %d: decoded Probability %v, Predict %v", i, got, want)
					}
				}
				if a := testing.AllocsPerRun(100, func() { m.Probability(rows[0]) }); a != 0 {
					t.Errorf("Probability allocates %v times per row", a)
				}
			})
		}
	}
}

func TestTrainRejectsUnknownFamily(t *testing.T) {
	cfg := small
	cfg.Family = "neural"
	invs := synthInvoices(1, 300)
	if _, _, err := risk.TrainInvoices(invs, nil, synthAsOf, cfg); err == nil {
		t.Error("unknown family accepted")
	}
}

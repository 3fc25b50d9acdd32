package classify_test

import (
	"testing"
	"time"

	"github.com/billtriage/billtriage/models/classify"
)

// banking77Seed names the split: for each intent, rows ordered by the
// FNV-1a hash of (seed, text), the last 20% go to test.
const banking77Seed = "billtriage-banking77"

// Bounds asserted on BANKING77, below what was measured (accuracy 0.905,
// ECE 0.02, precision 0.98 at confidence ≥ 0.9) so that noise passes and
// regressions fail. scikit-learn's TF-IDF (word 1–2, char_wb 2–5) with
// logistic regression reaches 0.904 on the same split, a linear SVM 0.901
// (python3 scripts/baselines/banking77.py).
const (
	banking77MinAccuracy  = 0.88
	banking77MaxECE       = 0.04
	banking77MinPrecision = 0.95
)

// TestBanking77 trains on 80% of the BANKING77 train file and checks
// accuracy and calibration on the held-out 20%.
func TestBanking77(t *testing.T) {
	rows := readCSV(t, "banking77/train.csv")
	texts, labels := column(rows, "text"), column(rows, "category")
	s := stratifiedSplit(texts, labels, banking77Seed, 0.2)
	start := time.Now()
	m, err := classify.Train(s.trainX, s.trainY, classify.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("trained on %d, tested on %d, %d classes, in %v", len(s.trainX), len(s.testX), len(m.Classes()), time.Since(start))
	after := predictAll(m, s.testX, s.testY)
	before := predictAll(m.WithTemperature(1), s.testX, s.testY)
	logCalibration(t, m, before, after)

	t.Run("accuracy", func(t *testing.T) {
		if acc := accuracy(after); acc < banking77MinAccuracy {
			t.Errorf("accuracy %.4f < %.2f", acc, banking77MinAccuracy)
		}
	})
	t.Run("calibration", func(t *testing.T) {
		if e, e1 := ece(after, eceBins), ece(before, eceBins); e > banking77MaxECE || e >= e1 {
			t.Errorf("ECE %.4f after calibration, %.4f before; want below %.2f and an improvement", e, e1, banking77MaxECE)
		}
		if cov, prec := atThreshold(after, 0.9); prec < banking77MinPrecision {
			t.Errorf("precision %.3f at confidence ≥ 0.9 (coverage %.3f) < %.2f", prec, cov, banking77MinPrecision)
		}
	})
}

// eceBins is the number of equal-width confidence bins of the ECE.
const eceBins = 15

// logCalibration logs accuracy, temperature, ECE before and after
// calibration and precision against coverage at the policy thresholds.
func logCalibration(t *testing.T, m *classify.Model, before, after []prediction) {
	t.Helper()
	t.Logf("accuracy %.4f, temperature %.3f, ECE %.4f before calibration, %.4f after",
		accuracy(after), m.Temperature(), ece(before, eceBins), ece(after, eceBins))
	for _, th := range []float64{0.5, 0.7, 0.9} {
		cov, prec := atThreshold(after, th)
		t.Logf("confidence ≥ %.1f: coverage %.3f, precision %.3f", th, cov, prec)
	}
}

// column returns one column of rows.
func column(rows []map[string]string, name string) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r[name]
	}
	return out
}

package classify_test

import (
	"testing"

	"github.com/billtriage/billtriage/models/classify"
)

// TestCalibrationHoldOut: the temperature is fitted only on held-out
// examples of labels the rest of the history has; when the hold-out is a
// label of its own, as in a file grouped by label, calibration is skipped
// instead of fitting a model to a blindness the final one does not have.
func TestCalibrationHoldOut(t *testing.T) {
	texts, labels := corpus(300, 37)
	// Grouped: 100 dispute, 100 erp, then 40 tax. The trailing 20% is 8
	// erp and the 40 tax, which leaves 8 usable cases, too few to fit on.
	var grouped, groupedY []string
	for _, want := range []string{"dispute", "erp", "tax"} {
		for i, l := range labels {
			if l == want && (l != "tax" || len(grouped) < 240) {
				grouped, groupedY = append(grouped, texts[i]), append(groupedY, l)
			}
		}
	}
	tests := []struct {
		name       string
		texts      []string
		labels     []string
		cfg        classify.Config
		calibrated bool
	}{
		{"interleaved", texts, labels, classify.Config{}, true},
		{"grouped, hold-out one label", grouped, groupedY, classify.Config{CalibrationFraction: 0.2}, false},
		{"skipped", texts, labels, classify.Config{SkipCalibration: true}, false},
		{"too few", texts[:60], labels[:60], classify.Config{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := classify.Train(tt.texts, tt.labels, tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if got := m.Temperature() != 1; got != tt.calibrated {
				t.Errorf("temperature %v, calibrated = %v, want %v", m.Temperature(), got, tt.calibrated)
			}
		})
	}
}

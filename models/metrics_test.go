package models_test

import (
	"math"
	"testing"

	"github.com/billtriage/billtriage/models"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestAUC(t *testing.T) {
	tests := []struct {
		name string
		p    []float64
		y    []bool
		want float64
	}{
		// 3 of the 4 positive/negative pairs are ordered right.
		{"four items", []float64{0.1, 0.4, 0.35, 0.8}, []bool{false, false, true, true}, 0.75},
		{"perfect", []float64{0.1, 0.2, 0.8, 0.9}, []bool{false, false, true, true}, 1},
		{"inverted", []float64{0.9, 0.8, 0.2, 0.1}, []bool{false, false, true, true}, 0},
		{"all tied", []float64{0.5, 0.5, 0.5}, []bool{false, true, true}, 0.5},
		// Pairs: (0.5+,0.5-) tie counts 1/2, (0.5+,0.2-) 1, (0.9+,0.5-) 1, (0.9+,0.2-) 1.
		{"one tie", []float64{0.2, 0.5, 0.5, 0.9}, []bool{false, false, true, true}, 3.5 / 4},
		{"one class", []float64{0.2, 0.5}, []bool{true, true}, math.NaN()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := models.AUC(tt.p, tt.y)
			if !near(got, tt.want) && !(math.IsNaN(got) && math.IsNaN(tt.want)) {
				t.Errorf("AUC = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestBrierLogLossECE(t *testing.T) {
	tests := []struct {
		name                string
		p                   []float64
		y                   []bool
		brier, logLoss, ece float64
	}{
		{"certain and right", []float64{0, 1}, []bool{false, true}, 0, -math.Log(1 - 1e-15), 0},
		{"coin", []float64{0.5, 0.5}, []bool{false, true}, 0.25, math.Ln2, 0},
		// Bin [0.2,0.3) holds p 0.2, 0.2 with outcomes 0, 1: gap |0.4-1|/4.
		// Bin [0.8,0.9) holds 0.8, 0.8 with outcomes 1, 1: gap |1.6-2|/4.
		{"two bins", []float64{0.2, 0.2, 0.8, 0.8}, []bool{false, true, true, true},
			(0.04 + 0.64 + 0.04 + 0.04) / 4, -(math.Log(0.8) + math.Log(0.2) + 2*math.Log(0.8)) / 4, 0.6/4 + 0.4/4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := models.Brier(tt.p, tt.y); !near(got, tt.brier) {
				t.Errorf("Brier = %v, want %v", got, tt.brier)
			}
			if got := models.LogLoss(tt.p, tt.y); !near(got, tt.logLoss) {
				t.Errorf("LogLoss = %v, want %v", got, tt.logLoss)
			}
			if got := models.ECE(tt.p, tt.y, 10); !near(got, tt.ece) {
				t.Errorf("ECE = %v, want %v", got, tt.ece)
			}
		})
	}
}

func TestEvaluateCounts(t *testing.T) {
	m := models.Evaluate([]float64{0.1, 0.4, 0.35, 0.8, 1}, []bool{false, false, true, true, true})
	if m.N != 5 || m.Positives != 3 {
		t.Errorf("N %d, positives %d; want 5, 3", m.N, m.Positives)
	}
	// Each item is alone in its bin (p = 1 falls in the top bin rather than
	// off the end): gaps 0.1, 0.4, 0.65, 0.2 and 0, over 5 items.
	if !near(m.ECE, 1.35/5) || !near(m.AUC, 5.0/6) {
		t.Errorf("ECE %v, AUC %v; want 0.27, 5/6", m.ECE, m.AUC)
	}
}

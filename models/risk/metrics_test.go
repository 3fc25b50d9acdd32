package risk_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/billtriage/billtriage/models/risk"
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
			got := risk.AUC(tt.p, tt.y)
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
			if got := risk.Brier(tt.p, tt.y); !near(got, tt.brier) {
				t.Errorf("Brier = %v, want %v", got, tt.brier)
			}
			if got := risk.LogLoss(tt.p, tt.y); !near(got, tt.logLoss) {
				t.Errorf("LogLoss = %v, want %v", got, tt.logLoss)
			}
			if got := risk.ECE(tt.p, tt.y, 10); !near(got, tt.ece) {
				t.Errorf("ECE = %v, want %v", got, tt.ece)
			}
		})
	}
}

// TestCalibrationBins: the bins are the non-empty ones ECE averages over,
// and their size-weighted gaps add up to ECE.
func TestCalibrationBins(t *testing.T) {
	tests := []struct {
		name string
		p    []float64
		y    []bool
		ece  float64
		bins []risk.CalibrationBin
	}{
		// Bins .9 and .1 are off by .1 each, weight ¼; bin .5 is exact.
		{"ties", []float64{0.9, 0.5, 0.5, 0.1}, []bool{true, true, false, false}, 0.05, []risk.CalibrationBin{
			{Lo: 0.1, Hi: 0.2, N: 1, MeanP: 0.1, Observed: 0},
			{Lo: 0.5, Hi: 0.6, N: 2, MeanP: 0.5, Observed: 0.5},
			{Lo: 0.9, Hi: 1, N: 1, MeanP: 0.9, Observed: 1}}},
		{"all tied", []float64{0.5, 0.5, 0.5, 0.5}, []bool{true, false, true, false}, 0, []risk.CalibrationBin{
			{Lo: 0.5, Hi: 0.6, N: 4, MeanP: 0.5, Observed: 0.5}}},
		// p = 1 falls in the last bin, not an eleventh one.
		{"edges", []float64{0, 1}, []bool{false, true}, 0, []risk.CalibrationBin{
			{Lo: 0, Hi: 0.1, N: 1, MeanP: 0, Observed: 0},
			{Lo: 0.9, Hi: 1, N: 1, MeanP: 1, Observed: 1}}},
		{"none", nil, nil, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := risk.CalibrationBins(tt.p, tt.y, 10)
			if !slices.EqualFunc(got, tt.bins, sameBin) {
				t.Errorf("CalibrationBins = %+v, want %+v", got, tt.bins)
			}
			var gaps float64
			for _, b := range got {
				gaps += float64(b.N) / float64(len(tt.p)) * math.Abs(b.MeanP-b.Observed)
			}
			if e := risk.ECE(tt.p, tt.y, 10); len(tt.p) > 0 && (!near(e, tt.ece) || !near(gaps, e)) {
				t.Errorf("ECE = %v, bins' gaps %v; want %v", e, gaps, tt.ece)
			}
		})
	}
}

func sameBin(a, b risk.CalibrationBin) bool {
	return a.N == b.N && near(a.Lo, b.Lo) && near(a.Hi, b.Hi) && near(a.MeanP, b.MeanP) && near(a.Observed, b.Observed)
}

func TestEvaluateCounts(t *testing.T) {
	m := risk.Evaluate([]float64{0.1, 0.4, 0.35, 0.8, 1}, []bool{false, false, true, true, true})
	if m.N != 5 || m.Positives != 3 {
		t.Errorf("N %d, positives %d; want 5, 3", m.N, m.Positives)
	}
	// Each item is alone in its bin (p = 1 falls in the top bin rather than
	// off the end): gaps 0.1, 0.4, 0.65, 0.2 and 0, over 5 items.
	if !near(m.ECE, 1.35/5) || !near(m.AUC, 5.0/6) {
		t.Errorf("ECE %v, AUC %v; want 0.27, 5/6", m.ECE, m.AUC)
	}
}

func TestReliability(t *testing.T) {
	type bin = risk.ReliabilityBin
	tests := []struct {
		name string
		p    []float64
		y    []bool
		bins int
		want []bin
	}{
		// Sorted: 0.1 0.2 | 0.3 0.4 | 0.8 0.9 with outcomes 0 0 | 0 1 | 1 1.
		{"thirds", []float64{0.9, 0.1, 0.4, 0.3, 0.8, 0.2}, []bool{true, false, true, false, true, false}, 3, []bin{
			{Lo: 0.1, Hi: 0.2, N: 2, Positives: 0, Predicted: 0.15, Observed: 0},
			{Lo: 0.3, Hi: 0.4, N: 2, Positives: 1, Predicted: 0.35, Observed: 0.5},
			{Lo: 0.8, Hi: 0.9, N: 2, Positives: 2, Predicted: 0.85, Observed: 1},
		}},
		// The cut after two rows falls inside the three 0.2s and moves past them.
		{"ties stay together", []float64{0.2, 0.7, 0.2, 0.2}, []bool{true, true, false, false}, 2, []bin{
			{Lo: 0.2, Hi: 0.2, N: 3, Positives: 1, Predicted: 0.2, Observed: 1.0 / 3},
			{Lo: 0.7, Hi: 0.7, N: 1, Positives: 1, Predicted: 0.7, Observed: 1},
		}},
		// Five bins for two rows: three would be empty and are dropped.
		{"more bins than rows", []float64{0.5, 0.1}, []bool{true, false}, 5, []bin{
			{Lo: 0.1, Hi: 0.1, N: 1, Positives: 0, Predicted: 0.1, Observed: 0},
			{Lo: 0.5, Hi: 0.5, N: 1, Positives: 1, Predicted: 0.5, Observed: 1},
		}},
		{"one bin", []float64{0.2, 0.6}, []bool{false, true}, 1, []bin{
			{Lo: 0.2, Hi: 0.6, N: 2, Positives: 1, Predicted: 0.4, Observed: 0.5},
		}},
		{"no rows", nil, nil, 10, nil},
		{"no bins", []float64{0.5}, []bool{true}, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := risk.Reliability(tt.p, tt.y, tt.bins)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d bins %+v, want %+v", len(got), got, tt.want)
			}
			for k, w := range tt.want {
				g := got[k]
				if g.N != w.N || g.Positives != w.Positives || !near(g.Lo, w.Lo) || !near(g.Hi, w.Hi) ||
					!near(g.Predicted, w.Predicted) || !near(g.Observed, w.Observed) {
					t.Errorf("bin %d: %+v, want %+v", k, g, w)
				}
			}
		})
	}
}

// TestReliabilityIgnoresRowOrder: with ties split across a cut the table
// would depend on which tied rows came first; kept together it cannot.
func TestReliabilityIgnoresRowOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	p, y := make([]float64, 500), make([]bool, 500)
	for i := range p {
		p[i] = float64(r.IntN(7)) / 7 // seven values: every decile cut meets ties
		y[i] = r.Float64() < p[i]
	}
	want := risk.Reliability(p, y, 10)
	for range 20 {
		r.Shuffle(len(p), func(a, b int) { p[a], p[b], y[a], y[b] = p[b], p[a], y[b], y[a] })
		if got := risk.Reliability(p, y, 10); !slices.Equal(got, want) {
			t.Fatalf("shuffled rows give %+v, want %+v", got, want)
		}
	}
}

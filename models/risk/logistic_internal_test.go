package risk

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestLogisticRecoversKnownCoefficients draws outcomes from
// σ(0.5 + 2·x1 − 1·x2) and checks the fitted coefficients, turned back to
// raw units, within sampling error.
func TestLogisticRecoversKnownCoefficients(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 3))
	n := 20000
	rows := make([][]float64, n)
	y := make([]bool, n)
	for i := range rows {
		x1, x2, x3 := r.NormFloat64(), r.NormFloat64()*3+5, 7.0 // x3 is constant
		rows[i] = []float64{x1, x2, x3}
		y[i] = r.Float64() < sigmoid(0.5+2*x1-1*(x2-5))
	}
	m, err := fitLogistic(rows, y, upTo(n), 0.01, nil)
	if err != nil {
		t.Fatal(err)
	}
	raw := []float64{m.Coef[0] / m.Scaler.SD[0], m.Coef[1] / m.Scaler.SD[1]}
	if math.Abs(raw[0]-2) > 0.1 || math.Abs(raw[1]+1) > 0.05 {
		t.Errorf("coefficients %v, want [2 -1]", raw)
	}
	if m.Coef[2] != 0 {
		t.Errorf("constant column got coefficient %v", m.Coef[2])
	}
	s, per := m.score(rows[0])
	if sum := m.Bias + per[0] + per[1] + per[2]; math.Abs(sum-s) > 1e-12 {
		t.Errorf("contributions add to %v, score %v", sum, s)
	}
}

// TestLogisticL2KeepsSeparableDataFinite: without the penalty the
// coefficients of separable data run off to infinity.
func TestLogisticL2KeepsSeparableDataFinite(t *testing.T) {
	rows := [][]float64{{-2}, {-1}, {1}, {2}}
	y := []bool{false, false, true, true}
	tests := []struct {
		lambda, maxCoef float64
	}{{0.01, 20}, {1, 3}, {100, 0.1}}
	for _, tt := range tests {
		m, err := fitLogistic(rows, y, upTo(4), tt.lambda, nil)
		if err != nil {
			t.Fatal(err)
		}
		if c := m.Coef[0]; !(c > 0 && c < tt.maxCoef) {
			t.Errorf("lambda %v: coefficient %v, want in (0, %v)", tt.lambda, c, tt.maxCoef)
		}
	}
}

func TestLogisticLearnsKnownBoundary(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 5))
	rows, y := boundary(r, 2000, 0.1, 0)
	test, ty := boundary(r, 4000, 0.1, 0)
	m, err := fitLogistic(rows, y, upTo(len(rows)), 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	acc := accuracy(test, ty, func(x []float64) bool { s, _ := m.score(x); return s > 0 })
	if bayes := 0.9; acc < 0.95*bayes {
		t.Errorf("accuracy %.3f, want at least 0.95 of the Bayes rate %.2f", acc, bayes)
	}
}

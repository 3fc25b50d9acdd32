package risk_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/billtriage/billtriage/models/risk"
)

// TestPlattRecoversKnownMap draws outcomes from p = σ(2s − 1) and checks
// that Platt scaling finds a ≈ 2 and b ≈ −1.
func TestPlattRecoversKnownMap(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	n := 20000
	s := make([]float64, n)
	y := make([]bool, n)
	for i := range s {
		s[i] = r.NormFloat64() * 2
		y[i] = r.Float64() < 1/(1+math.Exp(-(2*s[i]-1)))
	}
	c, err := risk.FitCalibration(risk.Platt, s, y)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(c.A-2) > 0.1 || math.Abs(c.B+1) > 0.1 {
		t.Errorf("Platt a=%.3f b=%.3f, want 2 and -1", c.A, c.B)
	}
}

func TestPlattStaysFiniteOnSeparableScores(t *testing.T) {
	c, err := risk.FitCalibration(risk.Platt, []float64{-2, -1, 1, 2}, []bool{false, false, true, true})
	if err != nil {
		t.Fatal(err)
	}
	// Platt's targets for 2 and 2 rows are 1/4 and 3/4, so the map cannot
	// go to 0 and 1.
	if p := c.Apply(2); math.IsNaN(c.A) || p > 0.95 || p < 0.6 {
		t.Errorf("a=%v b=%v gives p(2)=%v", c.A, c.B, p)
	}
}

func TestIsotonic(t *testing.T) {
	// Outcomes in score order 1..5 are 0 1 0 1 1: PAV pools the violating
	// pair at scores 2 and 3 into 1/2.
	s := []float64{3, 1, 5, 2, 4}
	y := []bool{false, false, true, true, true}
	c, err := risk.FitCalibration(risk.Isotonic, s, y)
	if err != nil {
		t.Fatal(err)
	}
	want := []risk.Knot{{Lo: 1, Hi: 1, P: 0}, {Lo: 2, Hi: 3, P: 0.5}, {Lo: 4, Hi: 5, P: 1}}
	if !slices.Equal(c.Knots, want) {
		t.Fatalf("knots %v, want %v", c.Knots, want)
	}
	tests := []struct{ score, want float64 }{
		{0, 0}, {1.5, 0.25}, {2.5, 0.5}, {3.5, 0.75}, {4.5, 1}, {9, 1},
	}
	for _, tt := range tests {
		if got := c.Apply(tt.score); !near(got, tt.want) {
			t.Errorf("Apply(%v) = %v, want %v", tt.score, got, tt.want)
		}
	}
}

func TestIsotonicPoolsEqualScores(t *testing.T) {
	c, err := risk.FitCalibration(risk.Isotonic, []float64{1, 1, 2, 2}, []bool{true, false, true, true})
	if err != nil {
		t.Fatal(err)
	}
	want := []risk.Knot{{Lo: 1, Hi: 1, P: 0.5}, {Lo: 2, Hi: 2, P: 1}}
	if !slices.Equal(c.Knots, want) {
		t.Errorf("knots %v, want %v", c.Knots, want)
	}
}

func TestFitCalibrationUnknownMethod(t *testing.T) {
	if _, err := risk.FitCalibration("magic", []float64{1}, []bool{true}); err == nil {
		t.Error("unknown method accepted")
	}
}

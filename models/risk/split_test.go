package risk_test

import (
	"slices"
	"testing"
	"time"

	"github.com/billtriage/billtriage/models/risk"
)

func days(ds ...int) []time.Time {
	out := make([]time.Time, len(ds))
	for i, d := range ds {
		out[i] = time.Date(2025, 1, d, 0, 0, 0, 0, time.UTC)
	}
	return out
}

func TestTemporalSplit(t *testing.T) {
	tests := []struct {
		name                 string
		times                []time.Time
		train, cal, validate []int
	}{
		{"ten distinct days, shuffled", days(5, 1, 9, 3, 7, 2, 10, 4, 8, 6),
			[]int{1, 5, 3, 7, 0, 9}, []int{4, 8}, []int{2, 6}},
		// The 60% cut falls inside day 6's run and moves past it.
		{"ties at the cut", days(1, 2, 3, 4, 5, 6, 6, 8, 9, 10),
			[]int{0, 1, 2, 3, 4, 5, 6}, []int{7}, []int{8, 9}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sp, err := risk.TemporalSplit(tt.times, 0.6, 0.2)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(sp.Train, tt.train) || !slices.Equal(sp.Calibrate, tt.cal) || !slices.Equal(sp.Validate, tt.validate) {
				t.Errorf("split %v / %v / %v, want %v / %v / %v", sp.Train, sp.Calibrate, sp.Validate, tt.train, tt.cal, tt.validate)
			}
		})
	}
}

func TestTemporalSplitRejectsFractions(t *testing.T) {
	for _, f := range [][2]float64{{0, 0.2}, {0.6, 0}, {0.8, 0.2}, {-1, 0.5}} {
		if _, err := risk.TemporalSplit(days(1, 2, 3), f[0], f[1]); err == nil {
			t.Errorf("fractions %v accepted", f)
		}
	}
}

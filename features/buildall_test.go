package features_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/billtriage/billtriage/features"
)

// TestBuildAllEqualsBuild checks the sweep against the one-by-one
// definition, bit for bit, over many random tangles of invoices.
func TestBuildAllEqualsBuild(t *testing.T) {
	tests := []struct {
		name         string
		n, customers int
		lateDays     int
	}{
		{"one customer, 30 days", 60, 1, 30},
		{"few customers, any day late", 200, 4, 0},
		{"many customers, 7 days", 300, 25, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for seed := range uint64(20) {
				invs := randomInvoices(rand.New(rand.NewPCG(seed, 7)), tt.n, tt.customers)
				open := make([]int, len(invs))
				for i := range open {
					open[i] = i % 3
				}
				opts := features.Options{LateDays: tt.lateDays, FX: map[string]float64{"EUR": 1.08}}
				all := features.BuildAll(invs, open, opts)
				for i, inv := range invs {
					one := features.Build(inv, invs, open[i], inv.IssuedAt, opts)
					if !slices.EqualFunc(all[i], one, sameBits) {
						t.Fatalf("seed %d invoice %d: BuildAll %v, Build %v", seed, i, all[i], one)
					}
				}
			}
		})
	}
}

func sameBits(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }

func TestBuildAllNilOpenExceptionsMeansNone(t *testing.T) {
	invs := randomInvoices(rand.New(rand.NewPCG(1, 2)), 30, 3)
	open := col(t, "open_exceptions")
	for i, row := range features.BuildAll(invs, nil, features.DefaultOptions()) {
		if row[open] != 0 {
			t.Errorf("invoice %d: open_exceptions %v", i, row[open])
		}
	}
}

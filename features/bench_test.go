package features_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/billtriage/billtriage/features"
)

// BenchmarkBuildAll shows the cost per invoice staying flat as the data
// grows tenfold, as an O(n log n) sweep should.
func BenchmarkBuildAll(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		invs := randomInvoices(rand.New(rand.NewPCG(1, 1)), n, n/20)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				features.BuildAll(invs, nil, features.DefaultOptions())
			}
		})
	}
}

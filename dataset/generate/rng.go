package generate

import (
	"math"
	"math/rand/v2"
	"slices"
)

// rng wraps a PCG generator. Each part of the world (customers, invoices,
// exceptions, payments) gets its own stream so that changing how one part
// draws does not reshuffle the others.
type rng struct {
	*rand.Rand
}

// Stream identifiers for newRNG.
const (
	streamCustomers uint64 = iota + 1
	streamInvoices
	streamExceptions
	streamPayments
	streamIdentities  // aliases, SKUs, subscriptions, migrations
	streamCorrections // which corrections in the history were wrong
	streamMislabel    // which labels drift after Config.Mislabel.After
)

func newRNG(seed int64, stream uint64) *rng {
	return &rng{rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15^stream))}
}

func (r *rng) chance(p float64) bool { return r.Float64() < p }

// between returns an int in [lo, hi].
func (r *rng) between(lo, hi int) int { return lo + r.IntN(hi-lo+1) }

// logNormal draws a positive value around median; sigma sets the spread.
func (r *rng) logNormal(median, sigma float64) float64 {
	return median * math.Exp(sigma*r.NormFloat64())
}

// weighted returns an index drawn in proportion to ws.
func (r *rng) weighted(ws []float64) int {
	total := 0.0
	for _, w := range ws {
		total += w
	}
	x := r.Float64() * total
	for i, w := range ws {
		if x < w {
			return i
		}
		x -= w
	}
	return len(ws) - 1
}

func pick[T any](r *rng, xs []T) T { return xs[r.IntN(len(xs))] }

// sampler draws indices in proportion to fixed weights in O(log n), for the
// many draws over the customer list.
type sampler struct {
	cum []float64
}

func newSampler(ws []float64) sampler {
	cum := make([]float64, len(ws))
	total := 0.0
	for i, w := range ws {
		total += w
		cum[i] = total
	}
	return sampler{cum: cum}
}

func (s sampler) draw(r *rng) int {
	x := r.Float64() * s.cum[len(s.cum)-1]
	i, _ := slices.BinarySearch(s.cum, x)
	return min(i, len(s.cum)-1)
}

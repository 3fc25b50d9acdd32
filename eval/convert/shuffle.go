package convert

import "math/rand/v2"

// Seed seeds the converters' shuffles.
const Seed = 1

// newRand returns the converters' random stream: PCG from math/rand/v2
// seeded (Seed, Seed). PCG's output is specified, so the same input gives
// the same file on every Go version.
func newRand() *rand.PCG { return rand.NewPCG(Seed, Seed) }

// shuffle is a Fisher–Yates shuffle driven by the raw PCG stream (j =
// next value mod (i+1), from the last index down). It is spelled out
// rather than taken from rand.Shuffle because the library does not promise
// that its shuffle algorithm never changes; the modulo bias, below 2^-50
// for these sizes, does not matter here.
func shuffle[T any](r *rand.PCG, s []T) {
	for i := len(s) - 1; i > 0; i-- {
		j := int(r.Uint64() % uint64(i+1))
		s[i], s[j] = s[j], s[i]
	}
}

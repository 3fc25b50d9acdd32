package classify

// rng is SplitMix64. It is written out rather than taken from math/rand so
// that the shuffles, and with them the model bytes, cannot change with the
// Go release.
type rng struct{ s uint64 }

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// shuffle permutes p by Fisher–Yates. The modulo bias is below 2^-40 for
// any realistic length and does not matter for visiting order.
func (r *rng) shuffle(p []int32) {
	for i := len(p) - 1; i > 0; i-- {
		j := int(r.next() % uint64(i+1))
		p[i], p[j] = p[j], p[i]
	}
}

package embeddings

import (
	"math"
	"math/bits"
)

// counter counts equal features in an open-addressing table. It replaced
// sorting the feature slice, which took half the time on long texts; the
// table's iteration order depends only on the input, so results stay
// deterministic.
type counter struct {
	keys   []uint64
	counts []uint32
	mask   uint64
}

// reset empties the table and sizes it for n features at a load factor
// of at most one half, so probe chains stay short.
func (c *counter) reset(n int) {
	size := 1 << bits.Len(uint(2*n))
	if cap(c.keys) < size {
		c.keys, c.counts = make([]uint64, size), make([]uint32, size)
	} else {
		c.keys, c.counts = c.keys[:size], c.counts[:size]
		clear(c.counts)
	}
	c.mask = uint64(size - 1)
}

// add counts one occurrence of f. A zero count marks a free slot, so every
// uint64, zero included, is a valid key.
func (c *counter) add(f uint64) {
	i := (f >> 2) & c.mask
	for c.counts[i] != 0 && c.keys[i] != f {
		i = (i + 1) & c.mask
	}
	c.keys[i] = f
	c.counts[i]++
}

// accumulate adds every distinct feature once, weighted by its class and
// by sublinear term frequency 1 + ln(tf): a word repeated through a
// forwarded thread should count more than once, but not ten times.
func (c *counter) accumulate(vec []float32, feats []uint64, weights *[4]float32) {
	c.reset(len(feats))
	for _, f := range feats {
		c.add(f)
	}
	for i, n := range c.counts {
		if n == 0 {
			continue
		}
		f := c.keys[i]
		idx, sign := slot(f, len(vec))
		// The explicit conversion forbids fusing into an FMA, which arm64
		// would otherwise do, so every platform rounds alike.
		vec[idx] += float32(sign * weights[f&3] * tfWeight(n))
	}
}

// tfTable caches 1 + ln(tf) for the small counts that make up nearly all
// features.
var tfTable = func() (t [64]float32) {
	for i := 1; i < len(t); i++ {
		t[i] = 1 + float32(math.Log(float64(i)))
	}
	return t
}()

// tfWeight is 1 + ln(tf).
func tfWeight(tf uint32) float32 {
	if tf < uint32(len(tfTable)) {
		return tfTable[tf]
	}
	return 1 + float32(math.Log(float64(tf)))
}

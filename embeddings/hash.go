package embeddings

// FNV-1a 64 parameters. The hash is written out rather than taken from
// hash/fnv so that n-grams and bigrams can be folded in incrementally
// without building strings or going through an interface.
const (
	fnvOffset64 uint64 = 14695981039346656037
	fnvPrime64  uint64 = 1099511628211
)

// fnvAdd folds b into the running FNV-1a state h.
func fnvAdd(h uint64, b []byte) uint64 {
	for _, c := range b {
		h ^= uint64(c)
		h *= fnvPrime64
	}
	return h
}

// fnvByte folds one byte into the running FNV-1a state h; it separates
// the channel tag and the two halves of a bigram.
func fnvByte(h uint64, c byte) uint64 {
	return (h ^ uint64(c)) * fnvPrime64
}

// mix is murmur3's fmix64 finaliser. FNV-1a's low output bits depend only
// on the low bits of the input bytes, so without an avalanche step the
// bucket and sign bits would be poorly spread.
func mix(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

// slot maps a mixed hash to a bucket in [0, dims) and a sign. The bucket
// comes from bits 16..47 by multiply-shift (no modulo bias worth noting,
// no division); the sign comes from bit 63, and the low bits stay free
// for the feature class.
func slot(m uint64, dims int) (int, float32) {
	idx := int((uint64(uint32(m>>16)) * uint64(dims)) >> 32)
	if m>>63 == 1 {
		return idx, -1
	}
	return idx, 1
}

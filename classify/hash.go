package classify

// FNV-1a 64 parameters. The hash is written out rather than taken from
// hash/fnv so that n-grams and bigrams fold in incrementally, without
// building strings or going through an interface.
const (
	fnvOffset64 uint64 = 14695981039346656037
	fnvPrime64  uint64 = 1099511628211
)

// Channel tags are hashed first so that the word "gl" and the char n-gram
// "gl" never share a bucket by construction.
const (
	tagWord   byte = 'w'
	tagBigram byte = 'b'
	tagChar   byte = 'c'
	// bigramSep cannot occur in UTF-8, so ("ab","c") and ("a","bc") differ.
	bigramSep byte = 0xff
)

// fnvAdd folds b into the running FNV-1a state h.
func fnvAdd(h uint64, b []byte) uint64 {
	for _, c := range b {
		h ^= uint64(c)
		h *= fnvPrime64
	}
	return h
}

// fnvByte folds one byte into the running FNV-1a state h.
func fnvByte(h uint64, c byte) uint64 {
	return (h ^ uint64(c)) * fnvPrime64
}

// mix is murmur3's fmix64 finaliser. FNV-1a's low output bits depend only
// on the low bits of the input bytes; without an avalanche step the bucket
// and sign bits would be poorly spread.
func mix(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

// bucket maps a mixed hash to a bucket in [0, 2^bits) and a sign. The
// bucket takes the low bits, the sign the top bit, so the two are
// independent for any bits up to 30.
func bucket(m uint64, bits int) (int32, float32) {
	idx := int32(m & (1<<bits - 1))
	if m>>63 == 1 {
		return idx, -1
	}
	return idx, 1
}

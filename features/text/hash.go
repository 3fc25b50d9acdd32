package text

// FNV-1a 64, written out rather than taken from hash/fnv so that n-grams
// and bigrams fold in incrementally, without building strings or going
// through an interface.
const (
	FNVOffset uint64 = 14695981039346656037
	fnvPrime  uint64 = 1099511628211
)

// FNVAdd folds b into the running FNV-1a state h.
func FNVAdd(h uint64, b []byte) uint64 {
	for _, c := range b {
		h ^= uint64(c)
		h *= fnvPrime
	}
	return h
}

// FNVByte folds one byte into the running FNV-1a state h; callers use it
// for channel tags and separators.
func FNVByte(h uint64, c byte) uint64 {
	return (h ^ uint64(c)) * fnvPrime
}

// Mix is murmur3's fmix64 finaliser. FNV-1a's low output bits depend only
// on the low bits of the input bytes, so without an avalanche step bucket
// and sign bits would be poorly spread.
func Mix(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

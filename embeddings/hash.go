package embeddings

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

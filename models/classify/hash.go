package classify

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

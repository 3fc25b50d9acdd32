package classify

import (
	"encoding/binary"
	"fmt"
	"math"
)

// reader decodes the model format. The first error sticks and later reads
// return zero values, so the decoder checks once at the end instead of
// after every field.
type reader struct {
	b   []byte
	err error
}

func (r *reader) take(n int) []byte {
	if r.err != nil || n < 0 || n > len(r.b) {
		r.fail("truncated")
		return nil
	}
	out := r.b[:n]
	r.b = r.b[n:]
	return out
}

func (r *reader) fail(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: %s", ErrFormat, what)
	}
}

func (r *reader) byte() byte {
	if b := r.take(1); b != nil {
		return b[0]
	}
	return 0
}

func (r *reader) u16() uint16 {
	if b := r.take(2); b != nil {
		return binary.LittleEndian.Uint16(b)
	}
	return 0
}

func (r *reader) u64() uint64 {
	if b := r.take(8); b != nil {
		return binary.LittleEndian.Uint64(b)
	}
	return 0
}

func (r *reader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail("bad varint")
		return 0
	}
	r.b = r.b[n:]
	return v
}

// count reads a length and checks that at least minBytes per item remain,
// so a corrupt length cannot make the decoder allocate gigabytes.
func (r *reader) count(minBytes int) int {
	n := r.uvarint()
	if n > uint64(len(r.b)/minBytes) {
		r.fail("length exceeds data")
		return 0
	}
	return int(n)
}

func (r *reader) strings() []string {
	out := make([]string, r.count(1))
	for i := range out {
		out[i] = string(r.take(int(r.uvarint())))
	}
	return out
}

// buckets reads the delta-coded vocabulary and checks that it ascends
// strictly within the hash space.
func (r *reader) buckets(bits int) []int32 {
	out := make([]int32, r.count(1))
	prev := int64(-1)
	for i := range out {
		d := r.uvarint()
		if d == 0 || d > 1<<bits {
			r.fail("bad bucket delta")
			return nil
		}
		prev += int64(d)
		out[i] = int32(prev)
	}
	if prev >= 1<<bits {
		r.fail("bucket outside hash space")
	}
	return out
}

func (r *reader) float32s(n int) []float32 {
	b := r.take(4 * n)
	out := make([]float32, n)
	for i := range out {
		if b == nil {
			break
		}
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return out
}

// finish reports the first error, or trailing bytes.
func (r *reader) finish() error {
	if r.err == nil && len(r.b) != 0 {
		r.fail("trailing bytes")
	}
	return r.err
}

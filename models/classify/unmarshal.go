package classify

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math"
	"slices"
)

// UnmarshalBinary decodes a model encoded by MarshalBinary. It rejects,
// with an error wrapping ErrFormat, bytes of another format version, a
// damaged checksum, or a feature config hash that this code would not
// reproduce, since such a model would be fed features of another shape.
func (m *Model) UnmarshalBinary(data []byte) error {
	if len(data) < len(magic)+2+8+4 || string(data[:len(magic)]) != magic {
		return fmt.Errorf("%w: not a classify model", ErrFormat)
	}
	body, sum := data[:len(data)-4], binary.LittleEndian.Uint32(data[len(data)-4:])
	if crc32.ChecksumIEEE(body) != sum {
		return fmt.Errorf("%w: checksum mismatch", ErrFormat)
	}
	r := reader{b: body[len(magic):]}
	v := r.u16()
	if v < 1 || v > formatVersion {
		return fmt.Errorf("%w: format version %d, want %d", ErrFormat, v, formatVersion)
	}
	dec, err := r.model(v)
	if err != nil {
		return err
	}
	*m = *dec
	return nil
}

// model reads everything after the version; version 1 models have no
// dense channel, and versions before 3 no precedent mix.
func (r *reader) model(version uint16) (*Model, error) {
	hash := r.u64()
	fc := FeatureConfig{HashBits: int(r.byte()), CharMin: int(r.byte()), CharMax: int(r.byte())}
	fc.MinDF = int(r.uvarint())
	fc.WordShare = math.Float64frombits(r.u64())
	if r.err != nil || fc.validate() != nil || fc.Hash() != hash {
		return nil, fmt.Errorf("%w: feature config %+v does not match its hash", ErrFormat, fc)
	}
	m := &Model{temperature: math.Float64frombits(r.u64())}
	m.classes = r.strings()
	v := &vocab{fc: fc, buckets: r.buckets(fc.HashBits)}
	v.idf = r.float32s(len(v.buckets))
	if version > 1 {
		m.dims = r.count(4)
	}
	if version > 2 {
		m.mix = mixing{share: math.Float64frombits(r.u64()), sharpness: math.Float64frombits(r.u64())}
	}
	m.b = r.float32s(len(m.classes))
	m.w = r.float32s((len(v.buckets) + m.dims) * len(m.classes))
	if err := r.finish(); err != nil {
		return nil, err
	}
	if err := m.check(); err != nil {
		return nil, err
	}
	v.index()
	m.vocab = v
	return m, nil
}

// check rejects decoded values no trained model has.
func (m *Model) check() error {
	if !(m.temperature > 0 && m.temperature < math.Inf(1)) {
		return fmt.Errorf("%w: temperature %g", ErrFormat, m.temperature)
	}
	if !(m.mix.share >= 0 && m.mix.share <= 1) || !(m.mix.sharpness >= 0 && m.mix.sharpness <= sharpnesses[len(sharpnesses)-1]) {
		return fmt.Errorf("%w: precedent mix %+v", ErrFormat, m.mix)
	}
	if len(m.classes) < 2 || !slices.IsSorted(m.classes) || len(slices.Compact(slices.Clone(m.classes))) != len(m.classes) {
		return fmt.Errorf("%w: classes not at least 2 distinct sorted labels", ErrFormat)
	}
	return nil
}

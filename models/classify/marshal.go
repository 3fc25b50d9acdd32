package classify

import (
	"encoding/binary"
	"hash/crc32"
	"math"
)

// Encoding of a Model, little-endian:
//
//	magic "BTCL", format version (uint16), feature config hash (uint64),
//	feature config (HashBits, CharMin, CharMax as bytes, MinDF as
//	uvarint, WordShare as float64), temperature (float64),
//	class count and classes (uvarint lengths and bytes),
//	vocab size and buckets (uvarint deltas), IDF (float32 each),
//	dense channel dims (uvarint; from format version 2 on),
//	precedent share and sharpness (float64 each; from version 3 on),
//	biases (float32 each), weights (float32, row-major, the vocab's rows
//	then the dense channel's),
//	CRC-32 (IEEE) of all that precedes it.
//
// The checksum catches a truncated or damaged column before a damaged
// model can mispredict.
const (
	magic         = "BTCL"
	formatVersion = 3
)

// MarshalBinary encodes the model compactly, weights as float32, for
// storage in a bytea column. Equal models give equal bytes.
func (m *Model) MarshalBinary() ([]byte, error) {
	fc, k := m.vocab.fc, len(m.classes)
	b := make([]byte, 0, 64+4*(len(m.w)+len(m.b)+len(m.vocab.idf))+3*len(m.vocab.buckets))
	b = append(b, magic...)
	b = binary.LittleEndian.AppendUint16(b, formatVersion)
	b = binary.LittleEndian.AppendUint64(b, fc.Hash())
	b = append(b, byte(fc.HashBits), byte(fc.CharMin), byte(fc.CharMax))
	b = binary.AppendUvarint(b, uint64(fc.MinDF))
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(fc.WordShare))
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(m.temperature))
	b = binary.AppendUvarint(b, uint64(k))
	for _, c := range m.classes {
		b = binary.AppendUvarint(b, uint64(len(c)))
		b = append(b, c...)
	}
	b = binary.AppendUvarint(b, uint64(len(m.vocab.buckets)))
	prev := int32(-1)
	for _, bk := range m.vocab.buckets {
		b = binary.AppendUvarint(b, uint64(bk-prev))
		prev = bk
	}
	b = appendFloat32s(b, m.vocab.idf)
	b = binary.AppendUvarint(b, uint64(m.dims))
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(m.mix.share))
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(m.mix.sharpness))
	b = appendFloat32s(b, m.b)
	b = appendFloat32s(b, m.w)
	return binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b)), nil
}

func appendFloat32s(b []byte, fs []float32) []byte {
	for _, f := range fs {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(f))
	}
	return b
}

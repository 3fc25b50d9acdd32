package classify_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"slices"
	"testing"

	"github.com/billtriage/billtriage/models/classify"
)

// TestMarshalRoundTrip: a decoded model predicts exactly as the original
// and encodes to the same bytes.
func TestMarshalRoundTrip(t *testing.T) {
	texts, labels := corpus(300, 13)
	m, err := classify.Train(texts, labels, classify.Config{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var got classify.Model
	if err := got.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	again, _ := got.MarshalBinary()
	if !bytes.Equal(b, again) {
		t.Error("re-encoding a decoded model changed its bytes")
	}
	if got.Temperature() != m.Temperature() || !slices.Equal(got.Classes(), m.Classes()) {
		t.Errorf("decoded T=%v classes=%v, want T=%v classes=%v", got.Temperature(), got.Classes(), m.Temperature(), m.Classes())
	}
	for _, x := range append(texts[:20], "INV-77 posting ledger", "") {
		if a, b := m.Predict(x), got.Predict(x); !slices.Equal(a, b) {
			t.Errorf("Predict(%q): original %v, decoded %v", x, a, b)
		}
	}
}

// TestUnmarshalRejects: damaged or foreign bytes fail with ErrFormat
// rather than yielding a model that mispredicts.
func TestUnmarshalRejects(t *testing.T) {
	texts, labels := corpus(90, 17)
	m, err := classify.Train(texts, labels, classify.Config{})
	if err != nil {
		t.Fatal(err)
	}
	good, _ := m.MarshalBinary()
	// resum recomputes the checksum, so that the decoder's checks behind
	// it are reached.
	resum := func(b []byte) []byte {
		body := b[:len(b)-4]
		return binary.LittleEndian.AppendUint32(slices.Clone(body), crc32.ChecksumIEEE(body))
	}
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"magic", append([]byte("XXXX"), good[4:]...)},
		{"truncated", good[:len(good)/2]},
		{"flipped byte", flip(good, len(good)/2)},
		{"version", resum(flip(good, 4))},
		{"config hash", resum(flip(good, 6))},
		{"hash bits", resum(flip(good, 14))},
		{"trailing bytes", resum(append(slices.Clone(good[:len(good)-4]), 0, 0, 0, 0, 0))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got classify.Model
			if err := got.UnmarshalBinary(tt.data); !errors.Is(err, classify.ErrFormat) {
				t.Errorf("UnmarshalBinary = %v, want ErrFormat", err)
			}
		})
	}
}

// flip returns a copy of b with byte i inverted.
func flip(b []byte, i int) []byte {
	c := slices.Clone(b)
	c[i] ^= 0xff
	return c
}

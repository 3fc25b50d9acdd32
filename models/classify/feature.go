package classify

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math"
)

// Feature is one non-zero entry of a sparse feature vector: a hash bucket
// and its weight.
type Feature struct {
	Index int32
	Value float32
}

// FeatureConfig says how a text becomes a feature vector. The zero value of
// each field means its default; a model records the config it was trained
// with, and its hash, so that a model is never fed features of another
// shape.
type FeatureConfig struct {
	// HashBits is log2 of the hash space (default 18, at most 22). More bits
	// mean fewer collisions but a larger lookup table at prediction time;
	// the stored model only grows with the buckets actually seen.
	HashBits int
	// CharMin and CharMax bound the char n-gram lengths, in runes of the
	// word padded with one space on each side (defaults 2 and 5). The
	// padding marks word starts and ends, so "pay" in "payment" and in
	// "prepay" give different n-grams.
	CharMin, CharMax int
	// MinDF drops buckets seen in fewer training texts (default 2).
	// Buckets seen once fit their own text and rarely generalise, and
	// dropping them shrinks the model several-fold.
	MinDF int
	// WordShare is the word channel's share of a vector's energy after
	// each channel is normalised on its own (default 0.5); the char channel
	// has the rest. Without it the char channel, with many more features
	// per text, would drown the words.
	WordShare float64
}

// Limits of FeatureConfig.HashBits.
const (
	MinHashBits = 10
	MaxHashBits = 22
)

// withDefaults returns fc with every zero field set to its default.
func (fc FeatureConfig) withDefaults() FeatureConfig {
	if fc.HashBits == 0 {
		fc.HashBits = 18
	}
	if fc.CharMin == 0 {
		fc.CharMin = 2
	}
	if fc.CharMax == 0 {
		fc.CharMax = 5
	}
	if fc.MinDF == 0 {
		fc.MinDF = 2
	}
	if fc.WordShare == 0 {
		fc.WordShare = 0.5
	}
	return fc
}

// validate reports the first field out of range; fc has its defaults.
func (fc FeatureConfig) validate() error {
	switch {
	case fc.HashBits < MinHashBits || fc.HashBits > MaxHashBits:
		return fmt.Errorf("%w: HashBits %d not in [%d, %d]", ErrConfig, fc.HashBits, MinHashBits, MaxHashBits)
	case fc.CharMin < 1 || fc.CharMax < fc.CharMin || fc.CharMax > 8:
		return fmt.Errorf("%w: char n-gram lengths %d..%d not within 1..8", ErrConfig, fc.CharMin, fc.CharMax)
	case fc.MinDF < 1:
		return fmt.Errorf("%w: MinDF %d below 1", ErrConfig, fc.MinDF)
	case !(fc.WordShare > 0 && fc.WordShare < 1):
		return fmt.Errorf("%w: WordShare %g not in (0, 1)", ErrConfig, fc.WordShare)
	}
	return nil
}

// Hash fingerprints the feature extraction: the config and the version of
// the tokenizer and hashing code. Two models with the same hash turn a
// text into the same buckets.
func (fc FeatureConfig) Hash() uint64 {
	fc = fc.withDefaults()
	h := fnv.New64a()
	h.Write([]byte(featureVersion))
	var b [8]byte
	for _, v := range []uint64{uint64(fc.HashBits), uint64(fc.CharMin), uint64(fc.CharMax), uint64(fc.MinDF)} {
		binary.LittleEndian.PutUint64(b[:], v)
		h.Write(b[:])
	}
	binary.LittleEndian.PutUint64(b[:], math.Float64bits(fc.WordShare))
	h.Write(b[:])
	return h.Sum64()
}

// featureVersion names the tokenizer and hashing algorithm. Bump it on
// any change that moves a text's features, so that old models are
// rejected instead of silently mispredicting.
const featureVersion = "classify-features-v1"

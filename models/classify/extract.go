package classify

import (
	"github.com/billtriage/billtriage/features/text"

	"math"
	mathbits "math/bits"
	"slices"
	"sync"
)

// scratch holds the working buffers of one text's extraction, pooled so a
// steady stream of predictions allocates little beyond its result.
type scratch struct {
	// Tokens keeps stop words and single runes: "how do I" and "why did
	// I" are different intents, and the learned weights decide what a
	// word is worth.
	text.Tokens
	hashes []uint64
	grams  text.NGrams
	word   []Feature
	char   []Feature
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// maxPooled bounds what a pooled scratch may keep: one huge text should
// not pin megabytes of buffers for the life of the process.
const maxPooled = 1 << 16

func getScratch() *scratch { return scratchPool.Get().(*scratch) }

func putScratch(sc *scratch) {
	if cap(sc.hashes) <= maxPooled && cap(sc.Buf) <= 4*maxPooled {
		scratchPool.Put(sc)
	}
}

// extract fills sc.word and sc.char with the signed sublinear term
// frequencies of doc, each sorted by bucket. The slices are reused by the
// next call.
func (sc *scratch) extract(doc string, fc FeatureConfig) {
	sc.Tokenize(doc)
	sc.hashes = sc.wordHashes(sc.hashes[:0])
	sc.word = countInto(sc.word[:0], sc.hashes, fc.HashBits)
	sc.hashes = sc.charHashes(sc.hashes[:0], fc.CharMin, fc.CharMax)
	sc.char = countInto(sc.char[:0], sc.hashes, fc.HashBits)
}

// wordHashes appends the hashes of every text.Token and of every pair of
// adjacent tokens within a sentence.
func (sc *scratch) wordHashes(out []uint64) []uint64 {
	for i, t := range sc.Toks {
		out = append(out, text.Mix(text.Word(sc.Span(t))))
		if i > 0 && !t.Brk {
			out = append(out, text.Mix(text.Bigram(sc.Span(sc.Toks[i-1]), sc.Span(t))))
		}
	}
	return out
}

// charHashes appends the n-gram hashes of every word text.Token, not of shapes.
func (sc *scratch) charHashes(out []uint64, minN, maxN int) []uint64 {
	for _, t := range sc.Toks {
		if !t.Shape {
			out = sc.grams.Append(out, sc.Span(t), minN, maxN)
		}
	}
	return out
}

// countInto appends the signed sublinear term frequencies of hashes,
// 1 + ln(tf), sorted by bucket: a word repeated through a forwarded
// thread should count more than once, but not ten times. Features that
// collide in a bucket add up with their signs, so collisions cancel on
// average instead of piling up. It reorders hashes.
//
// Rotating each hash so that its bucket bits lead makes one integer sort
// do all the work: equal hashes end up adjacent for counting, buckets come
// out in order, and features sharing a bucket are summed in a fixed order,
// so the float sums do not depend on the input order.
func countInto(out []Feature, hashes []uint64, bits int) []Feature {
	for i, h := range hashes {
		hashes[i] = mathbits.RotateLeft64(h, -bits)
	}
	slices.Sort(hashes)
	start := len(out)
	for i := 0; i < len(hashes); {
		j := i + 1
		for j < len(hashes) && hashes[j] == hashes[i] {
			j++
		}
		idx, sign := bucket(mathbits.RotateLeft64(hashes[i], bits), bits)
		out = append(out, Feature{Index: idx, Value: sign * tfWeight(j-i)})
		i = j
	}
	return append(out[:start], mergeSorted(out[start:])...)
}

// mergeSorted sums adjacent entries with the same index and drops exact
// zeros left by cancelling signs.
func mergeSorted(fs []Feature) []Feature {
	out := fs[:0]
	for i := 0; i < len(fs); {
		f := fs[i]
		for i++; i < len(fs) && fs[i].Index == f.Index; i++ {
			f.Value += fs[i].Value
		}
		if f.Value != 0 {
			out = append(out, f)
		}
	}
	return out
}

// tfTable caches 1 + ln(tf) for the small counts that make up nearly all
// features; the logarithm was a tenth of extraction time.
var tfTable = func() (t [64]float32) {
	for i := 1; i < len(t); i++ {
		t[i] = float32(1 + math.Log(float64(i)))
	}
	return t
}()

// tfWeight is 1 + ln(tf).
func tfWeight(tf int) float32 {
	if tf < len(tfTable) {
		return tfTable[tf]
	}
	return float32(1 + math.Log(float64(tf)))
}

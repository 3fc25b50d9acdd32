package embeddings

import (
	"unicode/utf8"

	"github.com/billtriage/billtriage/internal/textshape"
)

// Word-channel feature classes live in the two low bits of the feature
// hash, so one sorted slice carries each feature's weight with it.
const (
	classUnigram = iota
	classShape
	classBigram
)

// wordWeights weighs the word channel. Shapes count less than words
// because they say only that some number or id was present; bigrams count
// less than unigrams because they are sparser and mostly refine a match
// the unigrams already found.
var wordWeights = [4]float32{classUnigram: 1, classShape: 0.35, classBigram: 0.6}

// charWeights is uniform: char n-grams carry no class in their low bits.
var charWeights = [4]float32{1, 1, 1, 1}

// Channel tags are hashed first so that the word "gl" and the char
// n-gram "gl" do not share a bucket by construction.
const (
	tagWord   byte = 'w'
	tagBigram byte = 'b'
	tagChar   byte = 'c'
	// bigramSep cannot occur in UTF-8, so ("ab","c") and ("a","bc") differ.
	bigramSep byte = 0xff
)

// Character n-gram lengths, in runes of the space-padded word.
const (
	minGram = 3
	maxGram = 5
)

// markStops flags stop words. A text made only of stop words keeps them
// all: "it is what it is" should not embed like the empty text.
func (sc *scratch) markStops() {
	content := 0
	for i := range sc.Toks {
		t := &sc.Toks[i]
		t.Stop = !t.Shape && isStop(sc.Span(*t))
		if !t.Stop {
			content++
		}
	}
	if content == 0 {
		for i := range sc.Toks {
			sc.Toks[i].Stop = false
		}
	}
}

// wordFeatures emits unigrams and bigrams of the non-stop tokens. Bigrams
// skip over removed stop words ("posting of invoice" pairs "posting" with
// "invoice") but never cross a sentence boundary.
func (sc *scratch) wordFeatures() {
	sc.word = sc.word[:0]
	prev, brk := -1, false
	for i, t := range sc.Toks {
		brk = brk || t.Brk
		if t.Stop {
			continue
		}
		class := uint64(classUnigram)
		if t.Shape {
			class = classShape
		}
		sc.word = append(sc.word, feature(textshape.FNVAdd(textshape.FNVByte(textshape.FNVOffset, tagWord), sc.Span(t)), class))
		if prev >= 0 && !brk {
			sc.word = append(sc.word, sc.bigram(sc.Toks[prev], t))
		}
		prev, brk = i, false
	}
}

// bigram hashes the pair (a, b) without concatenating them.
func (sc *scratch) bigram(a, b textshape.Token) uint64 {
	h := textshape.FNVAdd(textshape.FNVByte(textshape.FNVOffset, tagBigram), sc.Span(a))
	h = textshape.FNVAdd(textshape.FNVByte(h, bigramSep), sc.Span(b))
	return feature(h, classBigram)
}

// feature finalises a word-channel hash and stores its class in the low
// bits, which slot does not use.
func feature(h, class uint64) uint64 {
	return textshape.Mix(h)&^3 | class
}

// charFeatures emits the char n-grams of content words. Shapes are
// skipped (their spelling is ours) and so are stop words, see stopWords.
func (sc *scratch) charFeatures() {
	sc.char = sc.char[:0]
	for _, t := range sc.Toks {
		if !t.Stop && !t.Shape {
			sc.ngrams(sc.Span(t))
		}
	}
}

// ngrams emits the minGram..maxGram rune n-grams of " w ". The padding
// marks word starts and ends, so "pay" in "payment" and in "prepay" give
// different n-grams, and it keeps two-letter words like "gl" represented.
// Each start position extends one running hash instead of rehashing.
func (sc *scratch) ngrams(w []byte) {
	sc.pad = append(append(append(sc.pad[:0], ' '), w...), ' ')
	sc.offs = sc.offs[:0]
	for i := 0; i < len(sc.pad); {
		sc.offs = append(sc.offs, int32(i))
		_, n := utf8.DecodeRune(sc.pad[i:])
		i += n
	}
	sc.offs = append(sc.offs, int32(len(sc.pad)))
	runes := len(sc.offs) - 1
	for i := 0; i+minGram <= runes; i++ {
		h := textshape.FNVByte(textshape.FNVOffset, tagChar)
		for k := i; k < i+maxGram && k < runes; k++ {
			h = textshape.FNVAdd(h, sc.pad[sc.offs[k]:sc.offs[k+1]])
			if k-i+1 >= minGram {
				sc.char = append(sc.char, textshape.Mix(h))
			}
		}
	}
}

package embeddings

import (
	"github.com/billtriage/billtriage/features/text"
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
		sc.word = append(sc.word, feature(text.Word(sc.Span(t)), class))
		if prev >= 0 && !brk {
			sc.word = append(sc.word, feature(text.Bigram(sc.Span(sc.Toks[prev]), sc.Span(t)), classBigram))
		}
		prev, brk = i, false
	}
}

// feature finalises a word-channel hash and stores its class in the low
// bits, which slot does not use.
func feature(h, class uint64) uint64 {
	return text.Mix(h)&^3 | class
}

// charFeatures emits the char n-grams of content words. Shapes are
// skipped (their spelling is ours) and so are stop words, see stopWords.
func (sc *scratch) charFeatures() {
	sc.char = sc.char[:0]
	for _, t := range sc.Toks {
		if !t.Stop && !t.Shape {
			sc.char = sc.grams.Append(sc.char, sc.Span(t), minGram, maxGram)
		}
	}
}

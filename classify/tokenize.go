package classify

import (
	"github.com/billtriage/billtriage/internal/textshape"

	"unicode"
	"unicode/utf8"
)

// maxWordRunes caps a plain word. Longer letter runs are almost always
// encoded blobs; spelled out they would flood the char channel with
// n-grams no other text shares, so they become <id>.
const maxWordRunes = 64

// token is a span of scratch.buf holding a lowercased word or a shape
// token such as "<id>".
type token struct {
	start, end int32
	// shape marks placeholder tokens; they get no char n-grams because
	// their spelling is ours, not the text's.
	shape bool
	// brk marks a sentence boundary before the token, so no bigram joins
	// it to the previous one.
	brk bool
}

// tokenize splits s into chunks of word runes joined by inner punctuation
// and turns each chunk into word and shape tokens. Unlike the embedder,
// stop words stay: "how do I" and "why did I" are different intents, and
// the learned weights decide what a word is worth. Invalid UTF-8 decodes
// to utf8.RuneError, which is not a word rune and so separates chunks.
func (sc *scratch) tokenize(s string) {
	sc.buf, sc.toks, sc.brk = sc.buf[:0], sc.toks[:0], false
	currency := false
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if textshape.IsWordRune(r) {
			end := chunkEnd(s, i)
			sc.addChunk(s[i:end], currency)
			i, currency = end, false
			continue
		}
		sc.brk = sc.brk || textshape.IsSentenceBreak(r)
		currency = unicode.Is(unicode.Sc, r)
		i += n
	}
}

// chunkEnd returns the end of the chunk starting at i: word runes, and
// joiners only where a word rune follows, so "INV-2041." ends before the
// full stop.
func chunkEnd(s string, i int) int {
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if textshape.IsWordRune(r) {
			i += n
			continue
		}
		next, _ := utf8.DecodeRuneInString(s[i+n:])
		if !textshape.IsJoiner(r) || !textshape.IsWordRune(next) {
			return i
		}
		i += n
	}
	return i
}

// addChunk classifies a chunk: plain words, a number-like shape, or an
// identifier that may carry a meaningful prefix word.
func (sc *scratch) addChunk(c string, currency bool) {
	letters, digits := textshape.CountClasses(c)
	switch {
	case digits == 0:
		sc.addWords(c)
	case letters == 0:
		sc.addShape(textshape.NumberShape(c, currency))
	default:
		sc.addMixed(c)
	}
}

// addWords splits a letters-only chunk on its joiners ("e-mail",
// "ACH/wire"); apostrophes are dropped instead, so "customer's" and
// "don't" stay one word.
func (sc *scratch) addWords(c string) {
	start := 0
	for i, r := range c {
		if textshape.IsJoiner(r) && !textshape.IsApostrophe(r) {
			sc.addWord(c[start:i])
			start = i + utf8.RuneLen(r)
		}
	}
	sc.addWord(c[start:])
}

// addWord appends w lowercased and without apostrophes.
func (sc *scratch) addWord(w string) {
	start, runes := len(sc.buf), 0
	for _, r := range w {
		if textshape.IsApostrophe(r) {
			continue
		}
		sc.buf = textshape.AppendLower(sc.buf, r)
		runes++
	}
	switch {
	case runes == 0:
		sc.buf = sc.buf[:start]
	case runes > maxWordRunes:
		sc.buf = sc.buf[:start]
		sc.addShape(textshape.ID)
	default:
		sc.push(start, false)
	}
}

// addShape appends a shape token such as "<id>".
func (sc *scratch) addShape(shape string) {
	start := len(sc.buf)
	sc.buf = append(sc.buf, shape...)
	sc.push(start, true)
}

// push records buf[start:] as a token and consumes any pending sentence
// boundary.
func (sc *scratch) push(start int, shape bool) {
	sc.toks = append(sc.toks, token{
		start: int32(start),
		end:   int32(len(sc.buf)),
		shape: shape,
		brk:   sc.brk,
	})
	sc.brk = false
}

// span returns the bytes of t.
func (sc *scratch) span(t token) []byte {
	return sc.buf[t.start:t.end]
}

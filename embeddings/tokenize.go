package embeddings

import (
	"github.com/billtriage/billtriage/internal/textshape"

	"unicode"
	"unicode/utf8"
)

// maxWordRunes caps a plain word. Longer letter runs are almost always
// encoded blobs or garbage; spelled out they would flood the character
// channel, so they become <id>. The cap is generous so that unspaced
// scripts (a short CJK sentence is one run) still count as words.
const maxWordRunes = 64

// tokenize splits s into chunks of word runes joined by inner punctuation
// and turns each chunk into word and shape tokens. Invalid UTF-8 decodes
// to utf8.RuneError, which is not a word rune and so acts as a separator.
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
// "ACH/wire", "billing@acme.com"); apostrophes are dropped instead, so
// "customer's" stays one word.
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

// addWord appends w lowercased, without apostrophes. Single runes are
// dropped: initials and the "s" of "U.S." only add noise.
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
	case runes < 2:
		sc.buf = sc.buf[:start]
	case runes > maxWordRunes:
		sc.buf = sc.buf[:start]
		sc.addShape(textshape.ID)
	default:
		sc.push(start, false)
	}
}

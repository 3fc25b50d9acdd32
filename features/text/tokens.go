package text

import (
	"unicode"
	"unicode/utf8"
)

// maxWordRunes caps a plain word. Longer letter runs are almost always
// encoded blobs; spelled out they would flood the character n-grams with
// spellings no other text shares, so they become <id>. The cap is generous
// so that unspaced scripts (a short CJK sentence is one run) still count.
const maxWordRunes = 64

// Token is a span of Tokens.Buf holding a lowercased word or a shape token
// such as "<id>".
type Token struct {
	Start, End int32
	// Shape marks placeholder tokens; they get no character n-grams
	// because their spelling is ours, not the text's.
	Shape bool
	// Brk marks a sentence boundary before the token, so no bigram joins
	// it to the previous one.
	Brk bool
	// Stop is for the caller to mark (the embedder's stop words).
	Stop bool
}

// Tokens is a reusable tokenizer: the lowercased token bytes and their
// spans. MinRunes drops shorter words (the embedder drops single runes,
// initials and the "s" of "U.S."; the classifier keeps them).
type Tokens struct {
	Buf      []byte
	Toks     []Token
	MinRunes int
	brk      bool
}

// Tokenize splits s into chunks of word runes joined by inner punctuation
// and turns each chunk into word and shape tokens, replacing what Tokens
// held. Invalid UTF-8 decodes to utf8.RuneError, which is not a word rune
// and so separates chunks.
func (t *Tokens) Tokenize(s string) {
	t.Buf, t.Toks, t.brk = t.Buf[:0], t.Toks[:0], false
	currency := false
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if IsWordRune(r) {
			end := chunkEnd(s, i)
			t.addChunk(s[i:end], currency)
			i, currency = end, false
			continue
		}
		t.brk = t.brk || IsSentenceBreak(r)
		currency = unicode.Is(unicode.Sc, r)
		i += n
	}
}

// Span returns the bytes of tok.
func (t *Tokens) Span(tok Token) []byte { return t.Buf[tok.Start:tok.End] }

// chunkEnd returns the end of the chunk starting at i: word runes, and
// joiners only where a word rune follows, so "INV-2041." ends before the
// full stop.
func chunkEnd(s string, i int) int {
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if IsWordRune(r) {
			i += n
			continue
		}
		next, _ := utf8.DecodeRuneInString(s[i+n:])
		if !IsJoiner(r) || !IsWordRune(next) {
			return i
		}
		i += n
	}
	return i
}

// addChunk classifies a chunk: plain words, a number-like shape, or an
// identifier that may carry a meaningful prefix word.
func (t *Tokens) addChunk(c string, currency bool) {
	letters, digits := CountClasses(c)
	switch {
	case digits == 0:
		t.addWords(c)
	case letters == 0:
		t.AddShape(NumberShape(c, currency))
	default:
		Mixed(c, t)
	}
}

// addWords splits a letters-only chunk on its joiners ("e-mail",
// "ACH/wire", "billing@acme.com"); apostrophes are dropped instead, so
// "customer's" stays one word.
func (t *Tokens) addWords(c string) {
	start := 0
	for i, r := range c {
		if IsJoiner(r) && !IsApostrophe(r) {
			t.AddWord(c[start:i])
			start = i + utf8.RuneLen(r)
		}
	}
	t.AddWord(c[start:])
}

// AddWord appends w lowercased and without apostrophes; it implements Sink.
func (t *Tokens) AddWord(w string) {
	start, runes := len(t.Buf), 0
	for _, r := range w {
		if IsApostrophe(r) {
			continue
		}
		t.Buf = AppendLower(t.Buf, r)
		runes++
	}
	switch {
	case runes == 0 || runes < t.MinRunes:
		t.Buf = t.Buf[:start]
	case runes > maxWordRunes:
		t.Buf = t.Buf[:start]
		t.AddShape(ID)
	default:
		t.push(start, false)
	}
}

// AddShape appends a shape token such as "<id>"; it implements Sink.
func (t *Tokens) AddShape(shape string) {
	start := len(t.Buf)
	t.Buf = append(t.Buf, shape...)
	t.push(start, true)
}

// push records Buf[start:] as a token and consumes any pending sentence
// boundary.
func (t *Tokens) push(start int, shape bool) {
	t.Toks = append(t.Toks, Token{Start: int32(start), End: int32(len(t.Buf)), Shape: shape, Brk: t.brk})
	t.brk = false
}

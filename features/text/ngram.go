package text

import "unicode/utf8"

// Channel tags are hashed first so that the word "gl" and the char n-gram
// "gl" never share a bucket by construction.
const (
	tagWord   byte = 'w'
	tagBigram byte = 'b'
	tagChar   byte = 'c'
	// bigramSep cannot occur in UTF-8, so ("ab","c") and ("a","bc") differ.
	bigramSep byte = 0xff
)

// Word returns the FNV-1a state of one token of the word channel, before
// Mix: the embedder stores a feature class in the low bits of the mixed
// hash, the classifier does not, so finalising is left to each.
func Word(tok []byte) uint64 {
	return FNVAdd(FNVByte(FNVOffset, tagWord), tok)
}

// Bigram returns the FNV-1a state of the token pair (a, b), before Mix,
// without concatenating the two.
func Bigram(a, b []byte) uint64 {
	h := FNVAdd(FNVByte(FNVOffset, tagBigram), a)
	return FNVAdd(FNVByte(h, bigramSep), b)
}

// NGrams hashes the character n-grams of words. Its buffers are reused
// from call to call, so keep one per goroutine (in a pooled scratch).
type NGrams struct {
	pad  []byte
	offs []int32
}

// Append appends the mixed hashes of the minN..maxN rune n-grams of " w ",
// shortest first at each start position. The padding marks word starts
// and ends, so "pay" in "payment" and in "prepay" give different n-grams,
// and it keeps two-letter words like "gl" represented. Each start position
// extends one running hash instead of rehashing every length.
func (g *NGrams) Append(out []uint64, w []byte, minN, maxN int) []uint64 {
	g.pad = append(append(append(g.pad[:0], ' '), w...), ' ')
	g.offs = g.offs[:0]
	for i := 0; i < len(g.pad); {
		g.offs = append(g.offs, int32(i))
		_, n := utf8.DecodeRune(g.pad[i:])
		i += n
	}
	g.offs = append(g.offs, int32(len(g.pad)))
	runes := len(g.offs) - 1
	for i := 0; i+minN <= runes; i++ {
		h := FNVByte(FNVOffset, tagChar)
		for k := i; k < i+maxN && k < runes; k++ {
			h = FNVAdd(h, g.pad[g.offs[k]:g.offs[k+1]])
			if k-i+1 >= minN {
				out = append(out, Mix(h))
			}
		}
	}
	return out
}

package embeddings

import "github.com/billtriage/billtriage/features/text"

// scratch holds the working buffers of one text's embedding. It is pooled
// per Local so that a steady stream of texts allocates nothing but the
// result vectors.
type scratch struct {
	// Tokens drops single-rune words: initials and the "s" of "U.S." only
	// add noise to similarity.
	text.Tokens
	word  []uint64
	char  []uint64
	grams text.NGrams
	// cvec accumulates the character channel; the word channel goes
	// straight into the output vector.
	cvec []float32
	cnt  counter
}

// maxPooledFeatures bounds what a pooled scratch may keep: one huge text
// should not pin megabytes of buffers for the life of the process.
const maxPooledFeatures = 1 << 18

func newScratch(dims int) *scratch {
	return &scratch{Tokens: text.Tokens{MinRunes: 2}, cvec: make([]float32, dims)}
}

// oversized reports whether the buffers grew past what is worth pooling.
func (sc *scratch) oversized() bool {
	return cap(sc.char) > maxPooledFeatures || cap(sc.Buf) > 4*maxPooledFeatures || cap(sc.cnt.keys) > 4*maxPooledFeatures
}

package embeddings

// token is one word-channel token: a span of scratch.buf holding either a
// lowercased word or a shape token such as "<id>".
type token struct {
	start, end int32
	// shape marks placeholder tokens; they get no character n-grams
	// because their spelling is ours, not the text's.
	shape bool
	// brk marks a sentence boundary before the token, so no bigram joins
	// it to the previous one.
	brk  bool
	stop bool
}

// scratch holds the working buffers of one text's embedding. It is pooled
// per Local so that a steady stream of texts allocates nothing but the
// result vectors.
type scratch struct {
	buf  []byte
	toks []token
	// brk records a sentence boundary seen since the last token.
	brk  bool
	word []uint64
	char []uint64
	pad  []byte
	offs []int32
	// cvec accumulates the character channel; the word channel goes
	// straight into the output vector.
	cvec []float32
	cnt  counter
}

// maxPooledFeatures bounds what a pooled scratch may keep: one huge text
// should not pin megabytes of buffers for the life of the process.
const maxPooledFeatures = 1 << 18

func newScratch(dims int) *scratch {
	return &scratch{cvec: make([]float32, dims)}
}

// span returns the bytes of t.
func (sc *scratch) span(t token) []byte {
	return sc.buf[t.start:t.end]
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

// addShape appends a shape token such as "<id>".
func (sc *scratch) addShape(shape string) {
	start := len(sc.buf)
	sc.buf = append(sc.buf, shape...)
	sc.push(start, true)
}

// oversized reports whether the buffers grew past what is worth pooling.
func (sc *scratch) oversized() bool {
	return cap(sc.char) > maxPooledFeatures || cap(sc.buf) > 4*maxPooledFeatures || cap(sc.cnt.keys) > 4*maxPooledFeatures
}

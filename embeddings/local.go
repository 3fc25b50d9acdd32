package embeddings

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"sync"

	"github.com/billtriage/billtriage/features/text"
)

// Bounds and default for NewLocal's dims. Below 64 buckets collisions
// swamp the signal; above 4096 the vectors only grow.
const (
	MinLocalDims     = 64
	MaxLocalDims     = 4096
	DefaultLocalDims = 512
)

// localVersion names the algorithm in Name. Bump it whenever tokenising,
// hashing or weighting changes, because vectors from different versions
// must never be compared.
const localVersion = "local-hash-v1"

// wordShare and charShare are the channels' weights after each channel is
// normalised (wordShare² + charShare² = 1): the word channel holds 70% of
// the energy and decides what a text is about, the char channel adds
// tolerance to typos and inflections without letting shared spelling
// fragments make unrelated texts look alike.
var (
	wordShare = math.Sqrt(0.7)
	charShare = math.Sqrt(0.3)
)

// ctxCheckEvery is how many texts Local.Embed embeds between looks at ctx.
const ctxCheckEvery = 64

// Local is a deterministic feature-hashing embedder that needs nothing
// outside the binary. It is safe for concurrent use.
type Local struct {
	dims  int
	name  string
	pool  sync.Pool
	empty []float32
}

// NewLocal returns a Local producing dims-dimensional vectors; dims must
// be within [MinLocalDims, MaxLocalDims].
func NewLocal(dims int) (*Local, error) {
	if dims < MinLocalDims || dims > MaxLocalDims {
		return nil, fmt.Errorf("embeddings: local dims %d out of range [%d, %d]", dims, MinLocalDims, MaxLocalDims)
	}
	l := &Local{dims: dims, name: localVersion + ":" + strconv.Itoa(dims)}
	l.pool.New = func() any { return newScratch(dims) }
	l.empty = make([]float32, dims)
	l.embedOne(newScratch(dims), "", l.empty)
	return l, nil
}

// Name identifies the algorithm and its size, e.g. "local-hash-v1:512".
func (l *Local) Name() string { return l.name }

// Dims returns the vector length.
func (l *Local) Dims() int { return l.dims }

// Embed returns one unit vector per text, in order. The vectors share one
// backing array (capacity-limited, so appending to one cannot overwrite
// the next). Text with no words, such as "" or "--", embeds as the fixed
// vector of a dedicated "<empty>" text.Token rather than the zero vector,
// whose cosine distance is NaN in pgvector; empty texts are thus
// identical to each other and near-orthogonal to everything else.
func (l *Local) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	sc := l.pool.Get().(*scratch)
	defer l.release(sc)
	backing := make([]float32, len(texts)*l.dims)
	out := make([][]float32, len(texts))
	for i, text := range texts {
		if i%ctxCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("embeddings: local embed: %w", err)
			}
		}
		lo, hi := i*l.dims, (i+1)*l.dims
		out[i] = backing[lo:hi:hi]
		l.embedOne(sc, text, out[i])
	}
	return out, nil
}

// release returns sc to the pool unless one huge text bloated it.
func (l *Local) release(sc *scratch) {
	if !sc.oversized() {
		l.pool.Put(sc)
	}
}

// embedOne writes the unit vector of doc into out, which must be zeroed.
func (l *Local) embedOne(sc *scratch, doc string, out []float32) {
	sc.Tokenize(doc)
	if len(sc.Toks) == 0 {
		sc.AddShape(text.Empty)
	}
	sc.markStops()
	sc.wordFeatures()
	sc.charFeatures()
	clear(sc.cvec)
	sc.cnt.accumulate(out, sc.word, &wordWeights)
	sc.cnt.accumulate(sc.cvec, sc.char, &charWeights)
	if !blend(out, sc.cvec) {
		copy(out, l.empty)
	}
}

// blend turns word into the unit vector wordShare·ŵ + charShare·ĉ, where
// ŵ and ĉ are the normalised channels; an all-zero channel is left out.
// It reports false only when hash collisions cancelled everything, which
// the caller maps to the empty vector.
func blend(word, char []float32) bool {
	nw, nc := l2(word), l2(char)
	if nw > 0 {
		scale(word, wordShare/nw)
	}
	if nc > 0 {
		f := float32(charShare / nc)
		for i, x := range char {
			word[i] += float32(f * x) // no FMA, see counter.accumulate
		}
	}
	return normalize(word)
}

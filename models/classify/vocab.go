package classify

import (
	"math"
)

// vocab is what the feature vectors learn from the training texts: which
// buckets count, and their inverse document frequencies.
type vocab struct {
	fc FeatureConfig
	// buckets are the kept buckets in ascending order; a bucket's position
	// is its row in the weight matrix.
	buckets []int32
	idf     []float32
	// row maps a bucket to its row plus one, zero for unknown buckets. It
	// is rebuilt from buckets, never stored.
	row []int32
}

// rawDoc is a text's two channels before weighting, as extract leaves
// them, and its normalised embedding when the model has a dense channel.
type rawDoc struct {
	word, char []Feature
	dense      []float32
}

// fitVocab keeps the buckets seen in at least fc.MinDF of docs and
// computes their smoothed IDF, ln((1+n)/(1+df)) + 1, as scikit-learn
// does: a bucket in every text still weighs 1, not 0.
func fitVocab(docs []rawDoc, fc FeatureConfig) *vocab {
	df := make([]int32, 1<<fc.HashBits)
	// last holds the doc that last counted a bucket, plus one, so a bucket
	// in both channels of a text counts once.
	last := make([]int32, 1<<fc.HashBits)
	for i, d := range docs {
		for _, ch := range [2][]Feature{d.word, d.char} {
			for _, f := range ch {
				if last[f.Index] != int32(i+1) {
					last[f.Index] = int32(i + 1)
					df[f.Index]++
				}
			}
		}
	}
	v := &vocab{fc: fc}
	n := float64(len(docs))
	for b, d := range df {
		if int(d) >= fc.MinDF {
			v.buckets = append(v.buckets, int32(b))
			v.idf = append(v.idf, float32(math.Log((1+n)/(1+float64(d)))+1))
		}
	}
	v.index()
	return v
}

// index builds the bucket-to-row lookup.
func (v *vocab) index() {
	v.row = make([]int32, 1<<v.fc.HashBits)
	for i, b := range v.buckets {
		v.row[b] = int32(i + 1)
	}
}

// weigh appends the known buckets of a raw channel, TF-IDF weighted and
// scaled to L2 norm share, with each Index replaced by its row.
func (v *vocab) weigh(out, raw []Feature, share float64) []Feature {
	start := len(out)
	sum := 0.0
	for _, f := range raw {
		r := v.row[f.Index]
		if r == 0 {
			continue
		}
		x := f.Value * v.idf[r-1]
		out = append(out, Feature{Index: r - 1, Value: x})
		sum += float64(x) * float64(x)
	}
	if sum > 0 {
		scale := float32(share / math.Sqrt(sum))
		for i := start; i < len(out); i++ {
			out[i].Value *= scale
		}
	}
	return out
}

// vector returns the weighted, normalised feature vector of a raw doc in
// row space, sorted by row. Rows ascend with buckets, so each weighed
// channel is already in order and a merge combines them.
func (v *vocab) vector(d rawDoc) []Feature {
	word := v.weigh(nil, d.word, math.Sqrt(v.fc.WordShare))
	char := v.weigh(nil, d.char, math.Sqrt(1-v.fc.WordShare))
	return normalize(mergeSorted(merge(word, char)))
}

// merge returns the sorted union of two sorted vectors, a's entry first
// where both have an index.
func merge(a, b []Feature) []Feature {
	out := make([]Feature, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if b[0].Index < a[0].Index {
			out, b = append(out, b[0]), b[1:]
		} else {
			out, a = append(out, a[0]), a[1:]
		}
	}
	return append(append(out, a...), b...)
}

// normalize scales fs to unit L2 norm. A text sharing no bucket with the
// training set stays empty, and the model falls back to its biases.
func normalize(fs []Feature) []Feature {
	sum := 0.0
	for _, f := range fs {
		sum += float64(f.Value) * float64(f.Value)
	}
	if sum == 0 {
		return fs
	}
	scale := float32(1 / math.Sqrt(sum))
	for i := range fs {
		fs[i].Value *= scale
	}
	return fs
}

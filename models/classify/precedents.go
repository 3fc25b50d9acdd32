package classify

import (
	"cmp"
	"math"
	"slices"
)

// Precedent mixing: a model with a dense channel also learns how far to
// trust a vote of the text's nearest precedents (the labelled history
// nearest in embedding space, which the caller finds, e.g. with pgvector).
// The vote catches what one linear layer cannot: a small cluster of
// look-alike cases that share a label. Its share and sharpness are fitted
// on the same held-out slice as the temperature, by likelihood, so the
// mixed probabilities stay calibrated, and a vote that does not help gets
// a share of 0. Models without a dense channel have no embeddings to find
// neighbours by at training time and never mix.

// Neighbor is a precedent of the text being classified: its label and the
// cosine similarity of its embedding to the text's.
type Neighbor struct {
	Label      string
	Similarity float64
}

// PrecedentK is how many nearest precedents of each held-out example the
// mix is fitted with; give PredictNeighbors about as many (the policy's
// default is 10).
const PrecedentK = 10

// mixing is the precedent vote's share of the probability and the
// sharpness of its weights exp(sharpness·similarity).
type mixing struct {
	share, sharpness float64
}

// sharpnesses are the vote sharpnesses fitMix tries: from nearly equal
// votes to votes dominated by the closest precedent.
var sharpnesses = [...]float64{1, 2.5, 5, 10, 20, 40}

// PrecedentShare returns the fitted share of the precedent vote, 0 when
// the model does not mix.
func (m *Model) PrecedentShare() float64 { return m.mix.share }

// PredictNeighbors is PredictVector mixed with the vote of ns, the text's
// nearest precedents, by the share fitted at training. A precedent's label
// the model does not know yet (resolved since it was trained) can win
// through the vote. With no precedents, or a share of 0, it is
// PredictVector.
func (m *Model) PredictNeighbors(text string, vec []float32, ns []Neighbor) []Scored {
	ps := m.PredictVector(text, vec)
	if m.mix.share == 0 || len(ns) == 0 {
		return ps
	}
	mixed := make(map[string]float64, len(ps)+len(ns))
	for _, s := range ps {
		mixed[s.Label] = (1 - m.mix.share) * s.P
	}
	votes := make([]float64, len(ns))
	for i, n := range ns {
		votes[i] = n.Similarity
	}
	softmaxInPlace(votes, m.mix.sharpness)
	for i, n := range ns {
		mixed[n.Label] += m.mix.share * votes[i]
	}
	out := make([]Scored, 0, len(mixed))
	for l, p := range mixed {
		out = append(out, Scored{Label: l, P: p})
	}
	slices.SortFunc(out, byProbability)
	return out
}

// heldOut is one calibration example: its class, the calibrated
// probabilities of the model trained without it, and its precedents among
// the examples that model saw.
type heldOut struct {
	y     int32
	p     []float64
	class []int32
	sim   []float64
}

// fitMix returns the share and sharpness of the precedent vote that
// maximise the likelihood of the held-out classes. For a fixed sharpness
// the negative log-likelihood is convex in the share (minus the log of a
// function affine in it), so a golden-section search finds its minimum.
func fitMix(hs []heldOut) mixing {
	// With no share the vote drops out: the baseline is the model alone.
	best, bestNLL := mixing{}, 0.0
	for _, h := range hs {
		bestNLL -= math.Log(max(h.p[h.y], 1e-300))
	}
	for _, s := range sharpnesses {
		votes := make([]float64, len(hs))
		for i, h := range hs {
			votes[i] = voteFor(h, s)
		}
		f := func(a float64) float64 {
			sum := 0.0
			for i, h := range hs {
				sum -= math.Log(max((1-a)*h.p[h.y]+a*votes[i], 1e-300))
			}
			return sum
		}
		a := goldenMin(f, 0, 1, 1e-4)
		if v := f(a); v < bestNLL {
			best, bestNLL = mixing{share: a, sharpness: s}, v
		}
	}
	if best.share < 0.01 {
		return mixing{}
	}
	return best
}

// voteFor returns the share of h's precedent vote that goes to its class.
func voteFor(h heldOut, sharpness float64) float64 {
	if len(h.sim) == 0 {
		return 0
	}
	w := slices.Clone(h.sim)
	softmaxInPlace(w, sharpness)
	v := 0.0
	for i, c := range h.class {
		if c == h.y {
			v += w[i]
		}
	}
	return v
}

// nearest returns the classes and similarities of the k docs of pool
// whose dense vectors are closest to q (both unit length, so the dot
// product is the cosine), closest first.
func nearest(q []float32, pool []rawDoc, y []int32, k int) ([]int32, []float64) {
	type hit struct {
		i   int
		sim float64
	}
	var top []hit
	for i, d := range pool {
		if d.dense == nil {
			continue
		}
		s := dot32(q, d.dense)
		if len(top) == k && s <= top[k-1].sim {
			continue
		}
		at, _ := slices.BinarySearchFunc(top, s, func(h hit, s float64) int { return cmp.Compare(s, h.sim) })
		top = slices.Insert(top, at, hit{i, s})
		if len(top) > k {
			top = top[:k]
		}
	}
	class, sim := make([]int32, len(top)), make([]float64, len(top))
	for j, h := range top {
		class[j], sim[j] = y[h.i], h.sim
	}
	return class, sim
}

func dot32(a, b []float32) float64 {
	var s float32
	for i, v := range a {
		s += float32(v * b[i]) // no FMA, so every platform rounds alike
	}
	return float64(s)
}

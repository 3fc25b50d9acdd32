package classify

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// Model is a trained classifier: a TF-IDF vocabulary, a multinomial
// logistic regression over it and a calibration temperature. It is
// immutable and safe for concurrent use. The zero Model is not usable: get
// one from Train, TrainFrom or UnmarshalBinary.
type Model struct {
	vocab   *vocab
	classes []string
	// dims is the length of the dense channel's embeddings, 0 when the
	// model learnt from n-grams only; its weights follow the vocab's.
	dims int
	// w holds the weights row-major, one row of len(classes) per vocab
	// row, so a feature's weights for all classes are contiguous.
	w []float32
	b []float32
	// temperature divides the logits before the softmax; fitted on
	// held-out data so that probabilities are calibrated.
	temperature float64
	// mix is the precedent vote's share and sharpness (precedents.go).
	mix mixing
}

// Scored is a class and its calibrated probability.
type Scored struct {
	Label string
	P     float64
}

// Classes returns the labels the model knows, in ascending order.
func (m *Model) Classes() []string { return slices.Clone(m.classes) }

// Temperature returns the calibration temperature; 1 means uncalibrated.
func (m *Model) Temperature() float64 { return m.temperature }

// FeatureConfig returns the feature extraction the model was trained
// with, defaults filled in.
func (m *Model) FeatureConfig() FeatureConfig { return m.vocab.fc }

// WithTemperature returns a model sharing m's weights whose probabilities
// use temperature t instead, e.g. 1 to see the uncalibrated softmax, or a
// temperature refitted on production outcomes. It panics unless t is
// positive and finite, as no temperature outside that means anything.
func (m *Model) WithTemperature(t float64) *Model {
	if !(t > 0 && t <= math.MaxFloat64) {
		panic(fmt.Sprintf("classify: temperature %g", t))
	}
	c := *m
	c.temperature = t
	return &c
}

// Predict returns every class with its probability, most likely first;
// equal probabilities are ordered by label so that ties resolve the same
// way every run. The probabilities sum to 1. A model with a dense channel
// predicts from the n-grams alone here; see PredictVector.
func (m *Model) Predict(text string) []Scored { return m.PredictVector(text, nil) }

// Dims returns the embedding length the model learnt from, 0 for an
// n-gram-only model.
func (m *Model) Dims() int { return m.dims }

// PredictVector is Predict with the text's embedding for the dense
// channel. A vector of another length than Dims is ignored, as is any
// vector given to a model without a dense channel.
func (m *Model) PredictVector(text string, vec []float32) []Scored {
	z := m.scores(appendDense(m.rowVector(text), len(m.vocab.buckets), denseOf(vec, m.dims)))
	softmaxInPlace(z, 1/m.temperature)
	out := make([]Scored, len(z))
	for c, p := range z {
		out[c] = Scored{Label: m.classes[c], P: p}
	}
	slices.SortFunc(out, byProbability)
	return out
}

// byProbability orders scores most likely first, equal probabilities by
// label, so that ties resolve the same way every run.
func byProbability(a, b Scored) int {
	if a.P != b.P {
		return cmp.Compare(b.P, a.P)
	}
	return cmp.Compare(a.Label, b.Label)
}

// Top returns the most likely class and its probability.
func (m *Model) Top(text string) (label string, p float64) { return m.TopVector(text, nil) }

// TopVector is Top with the text's embedding; see PredictVector.
func (m *Model) TopVector(text string, vec []float32) (label string, p float64) {
	best := m.PredictVector(text, vec)[0]
	return best.Label, best.P
}

// Features returns the model's feature vector of text: TF-IDF weighted,
// L2-normalised, indexed by hash bucket and sorted by index. Buckets the
// training set did not keep are left out, as the model cannot use them.
func (m *Model) Features(text string) []Feature {
	fs := m.rowVector(text)
	for i := range fs {
		fs[i].Index = m.vocab.buckets[fs[i].Index]
	}
	return fs
}

// rowVector returns the feature vector of text in row space.
func (m *Model) rowVector(text string) []Feature {
	sc := getScratch()
	defer putScratch(sc)
	sc.extract(text, m.vocab.fc)
	return m.vocab.vector(rawDoc{word: sc.word, char: sc.char})
}

// docLogits returns the uncalibrated class scores of a raw doc.
func (m *Model) docLogits(d rawDoc) []float64 {
	return m.scores(appendDense(m.vocab.vector(d), len(m.vocab.buckets), d.dense))
}

// scores returns b + Wᵀx for a row-space vector x. It accumulates in
// float32, the precision of the weights: a few hundred terms lose far less
// than the logits' differences, and the loop is half the memory traffic.
func (m *Model) scores(x []Feature) []float64 {
	k := len(m.b)
	acc := slices.Clone(m.b)
	for _, f := range x {
		row := m.w[int(f.Index)*k:][:k]
		acc := acc[:len(row)]
		for c, w := range row {
			// The conversion forbids fusing into an FMA, so every
			// platform rounds alike.
			acc[c] += float32(f.Value * w)
		}
	}
	z := make([]float64, k)
	for c, a := range acc {
		z[c] = float64(a)
	}
	return z
}

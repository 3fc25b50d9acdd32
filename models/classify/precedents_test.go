package classify_test

import (
	"bytes"
	"cmp"
	"math"
	"slices"
	"testing"

	"github.com/billtriage/billtriage/models/classify"
)

// oppositeCorpus returns examples whose label is the axis their embedding
// lies on, either way along it (class c is +e_c or -e_c, with a little
// noise on the other axes), under texts that say nothing. No linear layer
// over the vector separates a class pointing both ways; its nearest
// precedents do.
func oppositeCorpus(n, classes, dims int) []classify.Example {
	out := make([]classify.Example, n)
	for i := range out {
		c := i % classes
		v := make([]float32, dims)
		for d := classes; d < dims; d++ {
			v[d] = 0.1 * float32((i*7+d*3)%5-2)
		}
		v[c] = 1
		if i/classes%2 == 1 {
			v[c] = -1
		}
		out[i] = classify.Example{Text: []string{"please look at my bill", "question about the invoice"}[i/(2*classes)%2],
			Label: string(rune('a' + c)), Vector: v}
	}
	return out
}

// precedentsOf returns the classify.PrecedentK examples of pool nearest to
// vec by cosine similarity, as the store's search would.
func precedentsOf(vec []float32, pool []classify.Example) []classify.Neighbor {
	ns := make([]classify.Neighbor, len(pool))
	for i, e := range pool {
		ns[i] = classify.Neighbor{Label: e.Label, Similarity: cosine(vec, e.Vector)}
	}
	slices.SortStableFunc(ns, func(a, b classify.Neighbor) int { return cmp.Compare(b.Similarity, a.Similarity) })
	return ns[:classify.PrecedentK]
}

func cosine(a, b []float32) float64 {
	var ab, aa, bb float64
	for i := range a {
		ab += float64(a[i]) * float64(b[i])
		aa += float64(a[i]) * float64(a[i])
		bb += float64(b[i]) * float64(b[i])
	}
	return ab / math.Sqrt(aa*bb)
}

// TestPrecedentVoteCoversWhatTheLinearLayerCannot: on classes only
// nearest neighbours tell apart, the held-out slice gives the precedent
// vote most of the say, and with precedents the model gets the classes
// right that it gets wrong without them.
func TestPrecedentVoteCoversWhatTheLinearLayerCannot(t *testing.T) {
	const classes, dims = 4, 12
	train := oppositeCorpus(480, classes, dims)
	m := trainExamples(t, train)
	if s := m.PrecedentShare(); s < 0.5 {
		t.Fatalf("PrecedentShare() = %.3f, want the vote to carry most of the say (≥ 0.5)", s)
	}
	test := oppositeCorpus(80, classes, dims)
	with, without := 0, 0
	for _, e := range test {
		got := m.PredictNeighbors(e.Text, e.Vector, precedentsOf(e.Vector, train))
		if got[0].Label == e.Label {
			with++
		}
		if l, _ := m.TopVector(e.Text, e.Vector); l == e.Label {
			without++
		}
		sum := 0.0
		for _, s := range got {
			sum += s.P
		}
		if math.Abs(sum-1) > 1e-9 {
			t.Fatalf("probabilities sum to %v, want 1", sum)
		}
	}
	t.Logf("share %.3f; right with precedents %d/80, without %d/80", m.PrecedentShare(), with, without)
	if with < 78 || without > 60 {
		t.Errorf("right with precedents %d/80 (want ≥ 78), without %d/80 (want ≤ 60)", with, without)
	}
}

// TestPrecedentVoteOff: a model with no embeddings to find precedents by
// at training, or trained without calibration, never mixes, so the
// precedents change nothing.
func TestPrecedentVoteOff(t *testing.T) {
	texts, labels := corpus(120, 5)
	plain, err := classify.Train(texts, labels, classify.Config{})
	if err != nil {
		t.Fatal(err)
	}
	skipped, err := classify.TrainFrom(t.Context(), slices.Values(oppositeCorpus(480, 4, 12)), classify.Config{SkipCalibration: true})
	if err != nil {
		t.Fatal(err)
	}
	ns := []classify.Neighbor{{Label: "zz", Similarity: 0.99}, {Label: "zz", Similarity: 0.98}}
	for _, tt := range []struct {
		name string
		m    *classify.Model
	}{{"n-grams only", plain}, {"calibration skipped", skipped}} {
		t.Run(tt.name, func(t *testing.T) {
			if s := tt.m.PrecedentShare(); s != 0 {
				t.Errorf("PrecedentShare() = %v, want 0", s)
			}
			v := make([]float32, tt.m.Dims())
			if a, b := tt.m.PredictVector(texts[0], v), tt.m.PredictNeighbors(texts[0], v, ns); !slices.Equal(a, b) {
				t.Errorf("precedents changed the prediction: %v, then %v", a, b)
			}
		})
	}
}

// TestPrecedentVoteNewLabel: a precedent resolved since the model was
// trained can bring a label the model does not know, with the vote's
// share of the probability at most.
func TestPrecedentVoteNewLabel(t *testing.T) {
	train := oppositeCorpus(480, 4, 12)
	m := trainExamples(t, train)
	e := train[0]
	ns := []classify.Neighbor{{Label: "new", Similarity: 1}}
	got := m.PredictNeighbors(e.Text, e.Vector, ns)
	i := slices.IndexFunc(got, func(s classify.Scored) bool { return s.Label == "new" })
	if i < 0 || math.Abs(got[i].P-m.PrecedentShare()) > 1e-9 {
		t.Errorf("PredictNeighbors with one unknown precedent = %v, want label new with p = share %.3f", got, m.PrecedentShare())
	}
}

// TestPrecedentMixMarshalRoundTrip: the fitted mix survives encoding.
func TestPrecedentMixMarshalRoundTrip(t *testing.T) {
	train := oppositeCorpus(480, 4, 12)
	m := trainExamples(t, train)
	b, _ := m.MarshalBinary()
	var got classify.Model
	if err := got.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if got.PrecedentShare() != m.PrecedentShare() {
		t.Errorf("decoded share %v, want %v", got.PrecedentShare(), m.PrecedentShare())
	}
	for _, e := range train[:20] {
		ns := precedentsOf(e.Vector, train)
		if a, b := m.PredictNeighbors(e.Text, e.Vector, ns), got.PredictNeighbors(e.Text, e.Vector, ns); !slices.Equal(a, b) {
			t.Fatalf("PredictNeighbors: original %v, decoded %v", a, b)
		}
	}
	again, _ := got.MarshalBinary()
	if !bytes.Equal(again, b) {
		t.Error("re-encoding the decoded model gives other bytes")
	}
}

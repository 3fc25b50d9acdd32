package classify_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/billtriage/billtriage/models/classify"
)

// disputeText is a typical 300-character exception: an email with an
// invoice number, an amount and a date.
const disputeText = "Hello, we were charged twice for invoice INV-20417 on 2024-03-15. " +
	"The card statement shows two payments of $1,249.00 and our plan is the " +
	"annual Pro tier, which should be billed once. Please refund the duplicate " +
	"charge and confirm when it is processed. Thanks, Accounts Payable team"

// BenchmarkPredict measures one Predict of a 300-character text against
// the BANKING77 model (77 classes).
func BenchmarkPredict(b *testing.B) {
	rows := readCSV(b, "banking77/train.csv")
	m, err := classify.Train(column(rows, "text"), column(rows, "category"), classify.Config{})
	if err != nil {
		b.Fatal(err)
	}
	if n := len(disputeText); n < 280 || n > 320 {
		b.Fatalf("disputeText is %d bytes, want about 300", n)
	}
	b.ReportAllocs()
	for b.Loop() {
		m.Predict(disputeText)
	}
}

// BenchmarkTrainBanking77 measures training, calibration included, on
// the 8,033 texts of the BANKING77 test split's train part.
func BenchmarkTrainBanking77(b *testing.B) {
	rows := readCSV(b, "banking77/train.csv")
	s := stratifiedSplit(column(rows, "text"), column(rows, "category"), banking77Seed, 0.2)
	var size int
	for b.Loop() {
		m, err := classify.Train(s.trainX, s.trainY, classify.Config{})
		if err != nil {
			b.Fatal(err)
		}
		enc, _ := m.MarshalBinary()
		size = len(enc)
	}
	b.ReportMetric(float64(size), "model-bytes")
}

// BenchmarkFeatures measures feature extraction alone.
func BenchmarkFeatures(b *testing.B) {
	texts, labels := corpus(300, 31)
	texts = append(texts, strings.Repeat(disputeText+" ", 2))
	labels = append(labels, "dispute")
	m, err := classify.Train(texts, labels, classify.Config{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		m.Features(disputeText)
	}
}

// BenchmarkPredictNeighbors measures what the precedent mix adds to a
// prediction with a 512-dim dense channel: the same text and vector,
// without precedents and with PrecedentK of them.
func BenchmarkPredictNeighbors(b *testing.B) {
	train := oppositeCorpus(1000, 40, 512)
	m, err := classify.TrainFrom(b.Context(), slices.Values(train), classify.Config{})
	if err != nil {
		b.Fatal(err)
	}
	e := train[0]
	ns := precedentsOf(e.Vector, train)
	for _, bb := range []struct {
		name string
		ns   []classify.Neighbor
	}{{"without", nil}, {"with", ns}} {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				m.PredictNeighbors(disputeText, e.Vector, bb.ns)
			}
		})
	}
}

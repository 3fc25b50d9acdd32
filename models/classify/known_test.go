package classify_test

import (
	"math"
	"testing"

	"github.com/billtriage/billtriage/models/classify"
)

// TestDisjointVocabularies: classes whose words never overlap are learnt
// perfectly, and Predict returns a proper distribution over all of them.
func TestDisjointVocabularies(t *testing.T) {
	texts, labels := corpus(300, 7)
	m, err := classify.Train(texts, labels, classify.Config{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text, want string
	}{
		{"customer was charged twice and wants a refund", "dispute"},
		{"journal posting failed during netsuite sync", "erp"},
		{"wrong vat rate for this jurisdiction", "tax"},
		{"REFUND the CHARGEBACK", "dispute"},
		{"Ledger export INV-2041 failed on 2024-03-15", "erp"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got := m.Predict(tt.text)
			if len(got) != 3 {
				t.Fatalf("Predict returned %d classes, want 3", len(got))
			}
			if got[0].Label != tt.want {
				t.Errorf("top = %+v, want %s", got, tt.want)
			}
			sum := 0.0
			for i, s := range got {
				sum += s.P
				if i > 0 && s.P > got[i-1].P {
					t.Errorf("not sorted by probability: %+v", got)
				}
			}
			if math.Abs(sum-1) > 1e-9 {
				t.Errorf("probabilities sum to %v", sum)
			}
		})
	}
	for i, x := range texts {
		if l, _ := m.Top(x); l != labels[i] {
			t.Errorf("training text %q: got %s, want %s", x, l, labels[i])
		}
	}
}

// TestPredictEmptyText: a text with no known feature gets the class
// priors, still a distribution, instead of failing.
func TestPredictEmptyText(t *testing.T) {
	texts, labels := corpus(90, 3)
	m, err := classify.Train(texts, labels, classify.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"", "   ", "zzzz qqqq", "12345"} {
		got := m.Predict(text)
		sum := 0.0
		for _, s := range got {
			sum += s.P
		}
		if len(got) != 3 || math.Abs(sum-1) > 1e-9 {
			t.Errorf("Predict(%q) = %+v, want 3 classes summing to 1", text, got)
		}
	}
}

// TestPredictTiesByLabel: an infinitely hot model gives every class the
// same probability, and labels break the tie.
func TestPredictTiesByLabel(t *testing.T) {
	texts, labels := corpus(90, 5)
	m, err := classify.Train(texts, labels, classify.Config{})
	if err != nil {
		t.Fatal(err)
	}
	got := m.WithTemperature(math.MaxFloat64).Predict("refund charged twice")
	for i, s := range got {
		if s.P != got[0].P {
			t.Fatalf("Predict = %+v, want all equal", got)
		}
		if i > 0 && s.Label < got[i-1].Label {
			t.Errorf("ties not ordered by label: %+v", got)
		}
	}
}

package classify_test

import (
	"math"
	"slices"
	"testing"

	"github.com/billtriage/billtriage/models/classify"
)

// trainedOnCorpus returns a model over the synthetic corpus plus a few
// identifier-laden texts, so that shape tokens are in its vocabulary.
func trainedOnCorpus(t *testing.T) *classify.Model {
	t.Helper()
	texts, labels := corpus(300, 29)
	for i := range 20 {
		texts = append(texts, "posting of INV-"+itoa(1000+i)+" failed for $"+itoa(i)+".00 on 2024-03-"+itoa(10+i))
		labels = append(labels, "erp")
	}
	m, err := classify.Train(texts, labels, classify.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestFeaturesShape: vectors are sorted by unique index within the hash
// space and have unit norm.
func TestFeaturesShape(t *testing.T) {
	m := trainedOnCorpus(t)
	space := int32(1) << m.FeatureConfig().HashBits
	for _, text := range []string{"refund charged twice", "VAT rate for the jurisdiction", "posting of INV-2041 failed"} {
		fs := m.Features(text)
		if len(fs) == 0 {
			t.Fatalf("Features(%q) is empty", text)
		}
		norm := 0.0
		for i, f := range fs {
			norm += float64(f.Value) * float64(f.Value)
			if f.Index < 0 || f.Index >= space || i > 0 && f.Index <= fs[i-1].Index {
				t.Errorf("Features(%q): index %d at %d out of order or range", text, f.Index, i)
			}
		}
		if math.Abs(norm-1) > 1e-5 {
			t.Errorf("Features(%q) has norm² %v, want 1", text, norm)
		}
	}
}

// TestFeaturesShapeTokens: numbers and identifiers are reduced to shapes,
// so texts that differ only in them have the same features, while a
// different word changes them.
func TestFeaturesShapeTokens(t *testing.T) {
	m := trainedOnCorpus(t)
	tests := []struct {
		a, b string
		same bool
	}{
		{"posting of INV-2041 failed", "posting of INV-7730 failed", true},
		{"failed for $12.00", "failed for $940.00", true},
		{"on 2024-03-15", "on 2025-11-02", true},
		{"Refund CHARGED twice", "refund charged twice", true},
		{"posting of INV-2041 failed", "posting of INV-2041 succeeded", false},
		{"failed for $12.00", "failed for 2024-03-15", false},
	}
	for _, tt := range tests {
		t.Run(tt.a+"|"+tt.b, func(t *testing.T) {
			if got := slices.Equal(m.Features(tt.a), m.Features(tt.b)); got != tt.same {
				t.Errorf("equal features = %v, want %v", got, tt.same)
			}
		})
	}
}

// TestFeatureConfigHash: the hash separates configs and ignores whether
// defaults were spelled out.
func TestFeatureConfigHash(t *testing.T) {
	base := classify.FeatureConfig{}.Hash()
	tests := []struct {
		fc   classify.FeatureConfig
		same bool
	}{
		{classify.FeatureConfig{HashBits: 18, CharMin: 2, CharMax: 5, MinDF: 2, WordShare: 0.5}, true},
		{classify.FeatureConfig{HashBits: 20}, false},
		{classify.FeatureConfig{CharMin: 3}, false},
		{classify.FeatureConfig{MinDF: 1}, false},
		{classify.FeatureConfig{WordShare: 0.3}, false},
	}
	for _, tt := range tests {
		if got := tt.fc.Hash() == base; got != tt.same {
			t.Errorf("%+v: same hash = %v, want %v", tt.fc, got, tt.same)
		}
	}
}

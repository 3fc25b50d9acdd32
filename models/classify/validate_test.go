package classify_test

import (
	"context"
	"errors"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/billtriage/billtriage/models/classify"
)

// TestTrainRejects: bad configs and data fail with the documented errors.
func TestTrainRejects(t *testing.T) {
	texts, labels := corpus(60, 19)
	tests := []struct {
		name   string
		texts  []string
		labels []string
		cfg    classify.Config
		want   error
	}{
		{"no examples", nil, nil, classify.Config{}, classify.ErrData},
		{"length mismatch", texts, labels[1:], classify.Config{}, classify.ErrData},
		{"one class", []string{"a", "b"}, []string{"x", "x"}, classify.Config{}, classify.ErrData},
		{"empty label", []string{"a", "b"}, []string{"x", ""}, classify.Config{}, classify.ErrData},
		{"hash bits", texts, labels, classify.Config{Features: classify.FeatureConfig{HashBits: 30}}, classify.ErrConfig},
		{"char range", texts, labels, classify.Config{Features: classify.FeatureConfig{CharMin: 4, CharMax: 3}}, classify.ErrConfig},
		{"word share", texts, labels, classify.Config{Features: classify.FeatureConfig{WordShare: 1}}, classify.ErrConfig},
		{"negative L2", texts, labels, classify.Config{L2: -1}, classify.ErrConfig},
		{"epochs", texts, labels, classify.Config{Epochs: -1}, classify.ErrConfig},
		{"calibration share", texts, labels, classify.Config{CalibrationFraction: 0.9}, classify.ErrConfig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := classify.Train(tt.texts, tt.labels, tt.cfg); !errors.Is(err, tt.want) {
				t.Errorf("Train = %v, want %v", err, tt.want)
			}
		})
	}
}

// countdown is a context that reports cancellation once Err has been
// asked more than n times, which puts the cancellation at any point of
// training without depending on timing.
type countdown struct {
	context.Context
	n atomic.Int64
}

func (c *countdown) Err() error {
	if c.n.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

// TestTrainFromCancelled: a context that ends before, while reading, or
// while training stops TrainFrom with its error.
func TestTrainFromCancelled(t *testing.T) {
	texts, labels := corpus(3000, 23)
	examples := make([]classify.Example, len(texts))
	for i := range texts {
		examples[i] = classify.Example{Text: texts[i], Label: labels[i]}
	}
	// Reading 3,000 examples looks at ctx about a dozen times, each epoch
	// of training about three times more.
	for _, n := range []int64{0, 5, 40} {
		t.Run(itoa(int(n)), func(t *testing.T) {
			ctx := &countdown{Context: context.Background()}
			ctx.n.Store(n)
			if _, err := classify.TrainFrom(ctx, slices.Values(examples), classify.Config{}); !errors.Is(err, context.Canceled) {
				t.Errorf("TrainFrom = %v, want context.Canceled", err)
			}
		})
	}
}

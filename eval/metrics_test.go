package eval_test

import (
	"math"
	"testing"
	"time"

	"github.com/billtriage/billtriage/eval"
)

const eps = 1e-9

func near(a, b float64) bool { return math.Abs(a-b) < eps }

func TestClassificationMetrics(t *testing.T) {
	tests := []struct {
		name        string
		truth, pred []string
		acc, f1     float64
	}{
		// a: P 1, R 1/2, F1 2/3; b: P 2/3, R 1, F1 4/5; mean 11/15.
		{"four items", []string{"a", "a", "b", "b"}, []string{"a", "b", "b", "b"}, 0.75, 11.0 / 15},
		{"perfect", []string{"a", "b", "c"}, []string{"a", "b", "c"}, 1, 1},
		// c is only predicted: not averaged, but a loses recall: a F1 2/3, b F1 1.
		{"prediction outside the labels", []string{"a", "a", "b"}, []string{"a", "c", "b"}, 2.0 / 3, (2.0/3 + 1) / 2},
		// no suggestion ("") is an error like any other
		{"no suggestion", []string{"a", "b"}, []string{"", "b"}, 0.5, 0.5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			acc, ok := eval.Accuracy(tc.truth, tc.pred)
			if !ok || !near(acc, tc.acc) {
				t.Errorf("Accuracy = %v, %v; want %v", acc, ok, tc.acc)
			}
			f1, ok := eval.MacroF1(tc.truth, tc.pred)
			if !ok || !near(f1, tc.f1) {
				t.Errorf("MacroF1 = %v, %v; want %v", f1, ok, tc.f1)
			}
		})
	}
	if _, ok := eval.MacroF1(nil, nil); ok {
		t.Error("MacroF1 of nothing should be undefined")
	}
}

func TestPercentile(t *testing.T) {
	var ten, hundred []time.Duration
	for i := 1; i <= 100; i++ {
		if i <= 10 {
			ten = append(ten, time.Duration(11-i)*time.Millisecond) // unsorted on purpose
		}
		hundred = append(hundred, time.Duration(i)*time.Millisecond)
	}
	tests := []struct {
		name string
		ds   []time.Duration
		p    float64
		want time.Duration
	}{
		{"median of ten", ten, 50, 5 * time.Millisecond},
		{"p95 of ten is the largest", ten, 95, 10 * time.Millisecond},
		{"p10 of ten", ten, 10, 1 * time.Millisecond},
		{"p99 of a hundred", hundred, 99, 99 * time.Millisecond},
		{"p100 is the maximum", hundred, 100, 100 * time.Millisecond},
		{"empty", nil, 50, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := eval.Percentile(tc.ds, tc.p); got != tc.want {
				t.Errorf("Percentile(%v) = %v, want %v", tc.p, got, tc.want)
			}
		})
	}
}

package risk_test

import (
	"sync"
	"testing"

	"github.com/billtriage/billtriage/models/risk"
)

// TestTrainProgress checks that Progress counts every fit once, in order,
// up to its total, and leaves the model as it is without it.
func TestTrainProgress(t *testing.T) {
	invs := generatedInvoices(t)
	opts := risk.TrainOptions{LateDays: 30, Seed: 1, Split: 0.8}
	plain, _, err := risk.TrainLatest(invs, opts)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var dones, totals []int
	opts.Progress = func(done, total int) {
		mu.Lock()
		defer mu.Unlock()
		dones, totals = append(dones, done), append(totals, total)
	}
	counted, _, err := risk.TrainLatest(invs, opts)
	if err != nil {
		t.Fatal(err)
	}
	if counted.Version() != plain.Version() {
		t.Errorf("with Progress the model is %s, without %s", counted.Version(), plain.Version())
	}
	if len(dones) == 0 {
		t.Fatal("Progress was never called")
	}
	// 100 trees and at least one logistic fit and its refit.
	if total := totals[0]; total < 102 || len(dones) != total {
		t.Errorf("%d calls counting to %d, want one per fit, over 100 trees", len(dones), total)
	}
	for i, d := range dones {
		if d != i+1 || totals[i] != totals[0] {
			t.Fatalf("call %d reported %d of %d, want %d of %d", i, d, totals[i], i+1, totals[0])
		}
	}
}

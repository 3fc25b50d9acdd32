package features_test

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/billtriage/billtriage/features"
	"github.com/billtriage/billtriage/triage"
)

// shuffleOutcomes permutes PaidAt and Disputed among the invoices selected
// by pick, leaving everything else in place.
func shuffleOutcomes(r *rand.Rand, invs []triage.Invoice, pick func(triage.Invoice) bool) []triage.Invoice {
	out := slices.Clone(invs)
	var idx []int
	for i, inv := range invs {
		if pick(inv) {
			idx = append(idx, i)
		}
	}
	perm := r.Perm(len(idx))
	for k, i := range idx {
		src := invs[idx[perm[k]]]
		out[i].PaidAt, out[i].Disputed = src.PaidAt, src.Disputed
	}
	return out
}

// TestNoLeakage: the outcomes of invoices issued on or after X's issue date
// cannot change X's row, whatever they are.
func TestNoLeakage(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	invs := randomInvoices(r, 300, 5)
	opts := features.Options{LateDays: 10}
	base := features.BuildAll(invs, nil, opts)
	for x, inv := range invs {
		after := func(o triage.Invoice) bool { return !o.IssuedAt.Before(inv.IssuedAt) && o.InvoiceID != inv.InvoiceID }
		shuffled := shuffleOutcomes(r, invs, after)
		got := features.Build(shuffled[x], shuffled, 0, inv.IssuedAt, opts)
		if !slices.Equal(got, base[x]) {
			t.Fatalf("invoice %d: row changed from %v to %v when later outcomes were shuffled", x, base[x], got)
		}
		if all := features.BuildAll(shuffled, nil, opts); !slices.Equal(all[x], base[x]) {
			t.Fatalf("invoice %d: BuildAll row changed when later outcomes were shuffled", x)
		}
	}
}

// TestShufflingEarlierOutcomesDoesChangeRows shows that TestNoLeakage has
// teeth: the rows do depend on outcomes, just not on later ones.
func TestShufflingEarlierOutcomesDoesChangeRows(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	invs := randomInvoices(r, 300, 5)
	opts := features.Options{LateDays: 10}
	base := features.BuildAll(invs, nil, opts)
	cut := day(60)
	shuffled := shuffleOutcomes(r, invs, func(o triage.Invoice) bool { return o.IssuedAt.Before(cut) })
	changed := 0
	for i, row := range features.BuildAll(shuffled, nil, opts) {
		if !slices.Equal(row, base[i]) {
			changed++
		}
	}
	if changed < len(invs)/4 {
		t.Errorf("only %d of %d rows changed when earlier outcomes were shuffled", changed, len(invs))
	}
}

// TestScoringLaterSeesMore: the same invoice scored later sees payments
// made in between, which is what the service wants.
func TestScoringLaterSeesMore(t *testing.T) {
	hist := []triage.Invoice{past("A", "C", 1, 31, dayPtr(80), false)}
	inv := past("X", "C", 50, 80, nil, false)
	known := col(t, "hist_known")
	tests := []struct {
		at   time.Time
		want float64
	}{{day(50), 0}, {day(80), 0}, {day(81), 1}}
	for _, tt := range tests {
		if got := features.Build(inv, hist, 0, tt.at, features.Options{LateDays: 60})[known]; got != tt.want {
			t.Errorf("at %s: hist_known %v, want %v", tt.at.Format(time.DateOnly), got, tt.want)
		}
	}
}

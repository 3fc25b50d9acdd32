package features_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/features"
	"github.com/billtriage/billtriage/triage"
)

func past(id, cust string, issued, due int, paid *time.Time, disputed bool) triage.Invoice {
	return triage.Invoice{InvoiceID: id, CustomerID: cust, IssuedAt: day(issued), DueAt: day(due), Amount: 100,
		Currency: "USD", PaidAt: paid, Disputed: disputed}
}

func TestBuild(t *testing.T) {
	scored := triage.Invoice{InvoiceID: "X", CustomerID: "C1", IssuedAt: day(95), DueAt: day(125), Amount: 1000,
		Currency: "EUR", Region: "emea", Disputed: true}
	mixed := []triage.Invoice{
		past("A", "C1", 1, 31, dayPtr(70), true),      // settled, 39 days late: late
		past("B", "C1", 10, 40, dayPtr(45), false),    // settled, 5 days late: on time
		past("C", "C1", 20, 50, nil, false),           // unpaid, 50 days past due: overdue
		past("D", "C1", 60, 90, nil, false),           // unpaid, 10 days past due: pending
		past("E", "C1", 30, 60, dayPtr(100), true),    // paid at the scoring time: overdue, 40 days so far
		past("F", "C1", 100, 130, dayPtr(100), false), // issued at the scoring time: invisible
		past("G", "C2", 1, 31, dayPtr(90), true),      // another customer
		past("X", "C1", 95, 125, dayPtr(96), false),   // the scored invoice itself
	}
	opts := features.Options{LateDays: 30, FX: map[string]float64{"EUR": 1.1}}
	tests := []struct {
		name    string
		history []triage.Invoice
		at      time.Time
		opts    features.Options
		want    map[string]float64
	}{
		{"mixed history at day 100", mixed, day(100), opts, map[string]float64{
			"amount_usd": 1100, "log_amount_usd": math.Log1p(1100), "credit_note": 0, "terms_days": 30,
			"disputed": 1, "open_exceptions": 2, "hist_known": 4, "hist_late_share": 0.75,
			"hist_mean_days_late": 33.5, "hist_dispute_share": 0.5, "hist_overdue": 2, "hist_none": 0,
			"region_EMEA": 1, "region_other": 0, "currency_EUR": 1, "currency_other": 0,
		}},
		{"any day late with LateDays 0", mixed, day(100), features.Options{FX: opts.FX}, map[string]float64{
			// D is now overdue too, and B counts as late.
			"hist_known": 5, "hist_late_share": 1, "hist_overdue": 3, "hist_mean_days_late": (39 + 5 + 50 + 40 + 10) / 5.0,
		}},
		{"nothing known yet", mixed, day(31), opts, map[string]float64{
			"hist_known": 0, "hist_none": 1, "hist_late_share": 0, "hist_mean_days_late": 0, "hist_dispute_share": 0,
		}},
		{"no FX table counts 1", mixed, day(100), features.Options{LateDays: 30}, map[string]float64{"amount_usd": 1000}},
		{"empty history", nil, day(100), opts, map[string]float64{"hist_known": 0, "hist_none": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			row := features.Build(scored, tt.history, 2, tt.at, tt.opts)
			if len(row) != features.NumFeatures {
				t.Fatalf("row has %d columns", len(row))
			}
			for name, want := range tt.want {
				if got := row[col(t, name)]; math.Abs(got-want) > 1e-12 {
					t.Errorf("%s = %v, want %v", name, got, want)
				}
			}
		})
	}
}

func TestBuildOneHotAndCreditNote(t *testing.T) {
	tests := []struct {
		currency, region string
		amount           float64
		hot              []string
	}{
		{"USD", "NA", 5, []string{"currency_USD", "region_NA"}},
		{"JPY", "APAC", 5, []string{"currency_JPY", "region_APAC"}},
		{"BRL", "", -5, []string{"currency_other", "region_other", "credit_note"}},
		{"CHF", "Antarctica", 5, []string{"currency_other", "region_other"}},
	}
	for _, tt := range tests {
		t.Run(tt.currency+"/"+tt.region, func(t *testing.T) {
			inv := triage.Invoice{InvoiceID: "X", CustomerID: "C", IssuedAt: day(1), DueAt: day(1), Amount: tt.amount,
				Currency: tt.currency, Region: tt.region}
			row := features.Build(inv, nil, 0, day(1), features.DefaultOptions())
			onehot := 0.0
			for i, name := range features.Names() {
				if name == "credit_note" || strings.HasPrefix(name, "region_") || strings.HasPrefix(name, "currency_") {
					onehot += row[i]
				}
			}
			for _, name := range tt.hot {
				if row[col(t, name)] != 1 {
					t.Errorf("%s is %v, want 1", name, row[col(t, name)])
				}
			}
			if onehot != float64(len(tt.hot)) {
				t.Errorf("%v columns are set, want exactly %v", onehot, tt.hot)
			}
		})
	}
}

// TestBuildInteractions checks the two interaction columns: the late share
// weighted by ln(1 + known) and the amount against the customer's usual
// (mean log amount of every earlier invoice, whatever its state), which is
// kept in millionths of a log unit, hence the tolerance.
func TestBuildInteractions(t *testing.T) {
	scored := triage.Invoice{InvoiceID: "X", CustomerID: "C1", IssuedAt: day(95), DueAt: day(125), Amount: 1000, Currency: "USD"}
	hist := []triage.Invoice{
		past("A", "C1", 1, 31, dayPtr(70), true),      // settled late
		past("B", "C1", 10, 40, dayPtr(45), false),    // settled on time
		past("D", "C1", 60, 90, nil, false),           // pending: its amount still counts
		past("F", "C1", 100, 130, dayPtr(100), false), // issued later: invisible
		past("G", "C2", 1, 31, dayPtr(90), true),      // another customer
	}
	hist[1].Amount = 400
	usual := (3*math.Log1p(100) + math.Log1p(400) - math.Log1p(100)) / 3
	tests := []struct {
		name          string
		history       []triage.Invoice
		at            time.Time
		lateXKnown    float64
		amountVsUsual float64
	}{
		{"history at day 100", hist, day(100), 0.5 * math.Log1p(2), math.Log1p(1000) - usual},
		{"amounts known, outcomes not yet", hist, day(31), 0, math.Log1p(1000) - (math.Log1p(100)+math.Log1p(400))/2},
		{"no earlier invoice", nil, day(100), 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			row := features.Build(scored, tt.history, 0, tt.at, features.Options{LateDays: 30})
			if got := row[col(t, "hist_late_x_known")]; math.Abs(got-tt.lateXKnown) > 1e-12 {
				t.Errorf("hist_late_x_known = %v, want %v", got, tt.lateXKnown)
			}
			if got := row[col(t, "amount_vs_usual")]; math.Abs(got-tt.amountVsUsual) > 1e-6 {
				t.Errorf("amount_vs_usual = %v, want %v", got, tt.amountVsUsual)
			}
		})
	}
}

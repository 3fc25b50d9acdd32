package features_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/billtriage/billtriage/features"
	"github.com/billtriage/billtriage/triage"
)

// day is midnight UTC of the given day of 2025, which keeps tables short.
func day(d int) time.Time { return time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d-1) }

func dayPtr(d int) *time.Time { t := day(d); return &t }

// col finds a column by name so that tests do not depend on positions.
func col(t testing.TB, name string) int {
	t.Helper()
	i := slices.Index(features.Names(), name)
	if i < 0 {
		t.Fatalf("no column %q", name)
	}
	return i
}

// randomInvoices makes a tangle of invoices over few customers with shared
// dates, unpaid ones, payments before issue and disputes, to exercise every
// state of the history.
func randomInvoices(r *rand.Rand, n, customers int) []triage.Invoice {
	invs := make([]triage.Invoice, n)
	for i := range invs {
		issued := day(1 + r.IntN(120))
		inv := triage.Invoice{
			InvoiceID: fmt.Sprintf("I%d", i), CustomerID: fmt.Sprintf("C%d", r.IntN(customers)),
			IssuedAt: issued, DueAt: issued.AddDate(0, 0, []int{0, 15, 30, 45}[r.IntN(4)]),
			Amount: r.NormFloat64() * 1000, Currency: []string{"USD", "EUR", "XYZ"}[r.IntN(3)],
			Region: []string{"NA", "EMEA", "", "Mars"}[r.IntN(4)], Disputed: r.IntN(4) == 0,
		}
		if r.IntN(5) > 0 {
			paid := issued.Add(time.Duration(r.IntN(24*90)-24*5) * time.Hour)
			inv.PaidAt = &paid
		}
		invs[i] = inv
	}
	return invs
}

package features_test

import (
	"testing"
	"time"

	"github.com/billtriage/billtriage/features"
	"github.com/billtriage/billtriage/triage"
)

func TestLabel(t *testing.T) {
	due := day(31)
	tests := []struct {
		name        string
		paid        *time.Time
		lateDays    int
		asOf        time.Time
		late, known bool
	}{
		{"paid before due", dayPtr(20), 30, day(200), false, true},
		{"paid exactly at the limit", dayPtr(61), 30, day(200), false, true},
		{"paid a day past the limit", dayPtr(62), 30, day(200), true, true},
		{"any day late counts with 0", dayPtr(32), 0, day(200), true, true},
		{"on the due date with 0", dayPtr(31), 0, day(200), false, true},
		{"unpaid within the window", nil, 30, day(50), false, false},
		{"unpaid at the limit", nil, 30, day(61), false, false},
		{"unpaid past the limit", nil, 30, day(62), true, true},
		{"paid after asOf is unpaid then", dayPtr(100), 30, day(50), false, false},
		{"paid after asOf but already late", dayPtr(100), 30, day(70), true, true},
		{"paid on time exactly at asOf", dayPtr(40), 30, day(40), false, true},
		{"negative lateDays acts as 0", dayPtr(32), -5, day(200), true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := triage.Invoice{InvoiceID: "I1", CustomerID: "C1", IssuedAt: day(1), DueAt: due, PaidAt: tt.paid}
			late, known := features.Label(inv, tt.lateDays, tt.asOf)
			if late != tt.late || known != tt.known {
				t.Errorf("Label = (%v, %v), want (%v, %v)", late, known, tt.late, tt.known)
			}
		})
	}
}

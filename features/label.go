package features

import (
	"time"

	"github.com/billtriage/billtriage/triage"
)

// Label is the outcome the model learns, as known at asOf: late is true when
// inv was paid more than lateDays days after its due date, or is unpaid
// (or paid after asOf) and asOf is more than lateDays past due. known is
// false while it is unpaid and not yet that far past due: it may still be
// paid in time. A payment at asOf exactly counts as made.
func Label(inv triage.Invoice, lateDays int, asOf time.Time) (late, known bool) {
	limit := inv.DueAt.Add(Options{LateDays: lateDays}.grace())
	if inv.PaidAt != nil && !inv.PaidAt.After(asOf) {
		return inv.PaidAt.After(limit), true
	}
	if asOf.After(limit) {
		return true, true
	}
	return false, false
}

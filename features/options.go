package features

import (
	"math"
	"time"
)

// DefaultLateDays is how many days past due an invoice may be paid before it
// counts as late on the project's own data. The IBM sample uses 0: any day
// late counts.
const DefaultLateDays = 30

// Options are the choices a row depends on besides the invoices.
type Options struct {
	// LateDays: an invoice is late when paid more than LateDays days after
	// its due date, or not paid by then. Negative values count as 0.
	LateDays int
	// FX converts amounts to USD: USD per unit of the currency. A currency
	// that is missing counts at 1, as the triage policy does.
	FX map[string]float64
}

// DefaultOptions uses DefaultLateDays and no FX table.
func DefaultOptions() Options { return Options{LateDays: DefaultLateDays} }

// grace is the lateness allowance as a duration.
func (o Options) grace() time.Duration {
	return time.Duration(max(o.LateDays, 0)) * 24 * time.Hour
}

// usd converts an amount; the sign is dropped because a credit note is
// flagged by its own column and its size matters, not its direction.
func (o Options) usd(amount float64, currency string) float64 {
	rate, ok := o.FX[currency]
	if !ok || !(rate > 0) || math.IsInf(rate, 0) {
		rate = 1
	}
	return math.Abs(amount) * rate
}

package generate

import "time"

// formatDay writes a date the way the customer's region tends to, so dates
// are another surface form that varies.
func formatDay(r *rng, t time.Time, region string) string {
	return t.Format(pick(r, dayLayouts[region]))
}

var dayLayouts = map[string][]string{
	"NA":    {"01/02/2006", "Jan 2", "January 2, 2006", "2006-01-02"},
	"EMEA":  {"02.01.2006", "2 Jan", "2 January 2006", "2006-01-02", "02/01/2006"},
	"APAC":  {"2006-01-02", "2 Jan 2006", "2006/01/02"},
	"LATAM": {"02/01/2006", "2 Jan 2006", "2006-01-02"},
}

// billingPeriod is the month billed in arrears by an invoice issued at t.
func billingPeriod(issued time.Time) time.Time {
	return time.Date(issued.Year(), issued.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0)
}

func monthStart(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

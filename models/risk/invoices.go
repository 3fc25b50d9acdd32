package risk

import (
	"fmt"
	"time"

	"github.com/billtriage/billtriage/features"
	"github.com/billtriage/billtriage/triage"
)

// TrainInvoices builds the training set with TrainingSet and calls Train.
func TrainInvoices(invs []triage.Invoice, openExceptions []int, asOf time.Time, cfg Config) (*Model, Report, error) {
	rows, labels, times, err := TrainingSet(invs, openExceptions, asOf, cfg.Features)
	if err != nil {
		return nil, Report{}, err
	}
	return Train(rows, labels, times, cfg)
}

// TrainingSet is the rows, labels and times TrainInvoices trains on, for
// callers that want to score the same rows (TemporalSplit of the times with
// the Config's fractions gives the slices Train uses). Each invoice is one
// row, built at its issue date with features.BuildAll and opts;
// openExceptions may be nil. Only invoices whose lateness window (due date
// plus LateDays) closed before asOf are used: keeping every invoice with a
// known outcome would keep the recent ones paid early and drop the recent
// ones still unpaid, and so teach the newest slices that invoices are paid
// on time. A zero asOf means the latest issue or payment date in invs.
func TrainingSet(invs []triage.Invoice, openExceptions []int, asOf time.Time, opts features.Options) (rows [][]float64, labels []bool, times []time.Time, err error) {
	if asOf.IsZero() {
		asOf = latest(invs)
	}
	all := features.BuildAll(invs, openExceptions, opts)
	for i, inv := range invs {
		if !WindowClosed(inv, opts.LateDays, asOf) {
			continue
		}
		late, _ := features.Label(inv, opts.LateDays, asOf)
		rows, labels, times = append(rows, all[i]), append(labels, late), append(times, inv.IssuedAt)
	}
	if len(rows) == 0 {
		return nil, nil, nil, fmt.Errorf("risk: no invoice's lateness window closed by %s", asOf.Format(time.DateOnly))
	}
	return rows, labels, times, nil
}

// WindowClosed reports whether inv's lateness window (due date plus
// lateDays) closed before asOf, so that its outcome is known whichever it
// is. Judging a model only on such invoices avoids the bias TrainingSet
// describes: of the invoices still inside their window, those paid early
// are known and those that will be late are not.
func WindowClosed(inv triage.Invoice, lateDays int, asOf time.Time) bool {
	return inv.DueAt.AddDate(0, 0, max(lateDays, 0)).Before(asOf)
}

func latest(invs []triage.Invoice) time.Time {
	var t time.Time
	for _, inv := range invs {
		if inv.IssuedAt.After(t) {
			t = inv.IssuedAt
		}
		if inv.PaidAt != nil && inv.PaidAt.After(t) {
			t = *inv.PaidAt
		}
	}
	return t
}

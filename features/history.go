package features

import (
	"math"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// history sums what is known at one time about a customer's past invoices
// (see the package doc for the states). Sums are whole seconds in int64 so
// that adding in any order gives the same bits: Build and BuildAll add the
// same invoices in different orders and must agree exactly.
type history struct {
	settled, settledLate, settledDisputed int
	lateSecs                              int64 // settled: seconds paid past due
	overdue                               int
	overdueDueSecs                        int64 // overdue: sum of due dates, Unix seconds
	// issued counts every earlier invoice, whatever its state: an amount
	// is known from the issue date on. logAmount sums their log1p(USD)
	// amounts in millionths, an integer for the same reason as the seconds.
	issued    int
	logAmount int64
}

// logAmountUnit is the resolution of history.logAmount: a millionth of a
// log unit is far below any difference in amount that matters.
const logAmountUnit = 1e6

// addIssued counts p's amount towards the customer's usual amount.
func (h *history) addIssued(p *triage.Invoice, opts Options) {
	h.issued++
	h.logAmount += int64(math.Round(math.Log1p(opts.usd(p.Amount, p.Currency)) * logAmountUnit))
}

// settledAt reports whether p was settled strictly before at. A payment
// recorded before the invoice was issued is seen only from the issue date,
// since the invoice did not exist before then.
func settledAt(p *triage.Invoice, at time.Time) bool {
	return p.PaidAt != nil && p.PaidAt.Before(at) && p.IssuedAt.Before(at)
}

// overdueAt reports whether p is unpaid at at (or paid then or later) and
// already more than grace past due, so certain to be late.
func overdueAt(p *triage.Invoice, at time.Time, grace time.Duration) bool {
	return !settledAt(p, at) && p.DueAt.Add(grace).Before(at)
}

// paidLate reports whether a paid invoice was paid more than grace past due.
func paidLate(p *triage.Invoice, grace time.Duration) bool {
	return p.PaidAt.After(p.DueAt.Add(grace))
}

func (h *history) addSettled(p *triage.Invoice, grace time.Duration) {
	h.settled++
	if paidLate(p, grace) {
		h.settledLate++
	}
	if p.Disputed {
		h.settledDisputed++
	}
	h.lateSecs += max(0, p.PaidAt.Unix()-p.DueAt.Unix())
}

func (h *history) addOverdue(p *triage.Invoice, sign int) {
	h.overdue += sign
	h.overdueDueSecs += int64(sign) * p.DueAt.Unix()
}

// put writes the history columns of a row as seen at at; the row's own
// columns (invoiceRow) must be filled already.
func (h *history) put(row []float64, at time.Time) {
	if h.issued > 0 {
		// How far this amount is from the customer's usual one, in log
		// units (0.69 is twice the geometric mean): an unusually large bill
		// is one a customer may not be ready to pay. 0 without an earlier
		// invoice: nothing to compare with.
		row[colAmountVsUsual] = row[colLogAmountUSD] - float64(h.logAmount)/logAmountUnit/float64(h.issued)
	}
	known := h.settled + h.overdue
	row[colHistKnown] = float64(known)
	row[colHistOverdue] = float64(h.overdue)
	if known == 0 {
		row[colHistNone] = 1
		return
	}
	secs := h.lateSecs + int64(h.overdue)*at.Unix() - h.overdueDueSecs
	row[colHistLateShare] = float64(h.settledLate+h.overdue) / float64(known)
	// The late share weighted by how much history backs it: 1 of 1 late
	// is weak evidence, 10 of 10 strong. A linear model cannot form this
	// product from the two columns itself.
	row[colHistLateXKnown] = row[colHistLateShare] * math.Log1p(float64(known))
	row[colHistMeanDaysLate] = float64(secs) / 86400 / float64(known)
	if h.settled > 0 {
		row[colHistDisputeShare] = float64(h.settledDisputed) / float64(h.settled)
	}
}

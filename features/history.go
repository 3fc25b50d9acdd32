package features

import (
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

// put writes the history columns of a row as seen at at.
func (h *history) put(row []float64, at time.Time) {
	known := h.settled + h.overdue
	row[colHistKnown] = float64(known)
	row[colHistOverdue] = float64(h.overdue)
	if known == 0 {
		row[colHistNone] = 1
		return
	}
	secs := h.lateSecs + int64(h.overdue)*at.Unix() - h.overdueDueSecs
	row[colHistLateShare] = float64(h.settledLate+h.overdue) / float64(known)
	row[colHistMeanDaysLate] = float64(secs) / 86400 / float64(known)
	if h.settled > 0 {
		row[colHistDisputeShare] = float64(h.settledDisputed) / float64(h.settled)
	}
}

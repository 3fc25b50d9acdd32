package features

import (
	"slices"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// BuildAll computes the row of every invoice as seen at its own issue date,
// the time a model trained on these rows learns to score at. It equals
// calling Build for each invoice with all of invs as history, in
// O(n log n): each customer's invoices become timed events (settled, became
// overdue, overdue ended by payment) that one sorted sweep applies. Invoice
// ids must be unique, as the invoice CSV guarantees. openExceptions, when
// not nil, holds the open-exception count for each invoice; nil means none.
func BuildAll(invs []triage.Invoice, openExceptions []int, opts Options) [][]float64 {
	rows := make([][]float64, len(invs))
	for i := range invs {
		open := 0
		if openExceptions != nil {
			open = openExceptions[i]
		}
		rows[i] = invoiceRow(&invs[i], open, opts)
	}
	for _, idx := range byCustomer(invs) {
		sweep(invs, idx, rows, opts)
	}
	return rows
}

// byCustomer groups invoice positions by customer, each group in input order.
func byCustomer(invs []triage.Invoice) map[string][]int {
	m := make(map[string][]int)
	for i := range invs {
		m[invs[i].CustomerID] = append(m[invs[i].CustomerID], i)
	}
	return m
}

type eventKind int

const (
	becameOverdue eventKind = iota
	overdueEnded
	settled
	issued
)

// event is a change in one past invoice's state; it is visible to the
// queries strictly after at.
type event struct {
	at   time.Time
	inv  int
	kind eventKind
}

// eventsOf lists when p changes state. Its amount counts after its issue
// date; it is overdue for queries in (enter, settle] and settled after
// settle; both times are at least its issue date because an invoice counts
// only once issued.
func eventsOf(p *triage.Invoice, i int, grace time.Duration) []event {
	enter := later(p.DueAt.Add(grace), p.IssuedAt)
	if p.PaidAt == nil {
		return []event{{p.IssuedAt, i, issued}, {enter, i, becameOverdue}}
	}
	settle := later(*p.PaidAt, p.IssuedAt)
	evs := []event{{p.IssuedAt, i, issued}, {settle, i, settled}}
	if settle.After(enter) {
		evs = append(evs, event{enter, i, becameOverdue}, event{settle, i, overdueEnded})
	}
	return evs
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// sweep fills the history columns of one customer's invoices.
func sweep(invs []triage.Invoice, idx []int, rows [][]float64, opts Options) {
	grace := opts.grace()
	var evs []event
	for _, i := range idx {
		evs = append(evs, eventsOf(&invs[i], i, grace)...)
	}
	slices.SortFunc(evs, func(a, b event) int { return a.at.Compare(b.at) })
	queries := slices.Clone(idx)
	slices.SortFunc(queries, func(a, b int) int { return invs[a].IssuedAt.Compare(invs[b].IssuedAt) })
	var h history
	k := 0
	for _, j := range queries {
		at := invs[j].IssuedAt
		for ; k < len(evs) && evs[k].at.Before(at); k++ {
			h.apply(evs[k], invs, opts)
		}
		h.put(rows[j], at)
	}
}

func (h *history) apply(e event, invs []triage.Invoice, opts Options) {
	grace := opts.grace()
	switch e.kind {
	case issued:
		h.addIssued(&invs[e.inv], opts)
	case becameOverdue:
		h.addOverdue(&invs[e.inv], 1)
	case overdueEnded:
		h.addOverdue(&invs[e.inv], -1)
	case settled:
		h.addSettled(&invs[e.inv], grace)
	}
}

package dataset

import (
	"fmt"
	"strings"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// invoice converts one data row; Line is left for the caller to set.
func (h *header) invoice(row []string, seen map[string]int) (triage.Invoice, *LineError) {
	if len(row) != len(h.extra) {
		return triage.Invoice{}, &LineError{Msg: fmt.Sprintf("has %d fields, the header has %d", len(row), len(h.extra))}
	}
	inv, le := h.fields(row)
	if le != nil {
		return triage.Invoice{}, le
	}
	if le := validateInvoice(inv); le != nil {
		return triage.Invoice{}, le
	}
	if first, dup := seen[inv.InvoiceID]; dup {
		return triage.Invoice{}, fieldErr(colInvoiceID, fmt.Sprintf("duplicate invoice_id %q (first on line %d)", inv.InvoiceID, first))
	}
	return inv, nil
}

// fields parses the typed columns; range and shape checks are left to
// validateInvoice so that reading and writing apply the same rules.
func (h *header) fields(row []string) (triage.Invoice, *LineError) {
	cell := func(col string) string {
		if i, ok := h.index[col]; ok {
			return strings.TrimSpace(row[i])
		}
		return ""
	}
	inv := triage.Invoice{
		InvoiceID:  cell(colInvoiceID),
		CustomerID: cell(colCustomerID),
		Currency:   cell(colCurrency),
		Region:     cell(colRegion),
		Extra:      h.extras(row),
	}
	var le *LineError
	inv.IssuedAt, le = requiredDate(colIssuedAt, cell(colIssuedAt))
	if le != nil {
		return triage.Invoice{}, le
	}
	if inv.DueAt, le = requiredDate(colDueAt, cell(colDueAt)); le != nil {
		return triage.Invoice{}, le
	}
	if inv.PaidAt, le = optionalDate(colPaidAt, cell(colPaidAt)); le != nil {
		return triage.Invoice{}, le
	}
	amount, err := parseAmount(cell(colAmount))
	if err != nil {
		return triage.Invoice{}, fieldErr(colAmount, err.Error())
	}
	inv.Amount = amount
	var ok bool
	if inv.Disputed, ok = parseBool(cell(colDisputed)); !ok {
		return triage.Invoice{}, fieldErr(colDisputed, "not one of true/false/1/0/yes/no")
	}
	return inv, nil
}

func requiredDate(col, s string) (time.Time, *LineError) {
	if s == "" {
		return time.Time{}, fieldErr(col, "is required (RFC 3339 time or YYYY-MM-DD)")
	}
	t, ok := parseDate(s)
	if !ok {
		return time.Time{}, fieldErr(col, "not an RFC 3339 time or YYYY-MM-DD date")
	}
	return t, nil
}

// optionalDate reads an empty cell as nil: for paid_at that means unpaid.
func optionalDate(col, s string) (*time.Time, *LineError) {
	if s == "" {
		return nil, nil
	}
	t, le := requiredDate(col, s)
	if le != nil {
		return nil, le
	}
	return &t, nil
}

// extras keeps non-empty extra cells; an empty cell reads as absent so that
// invoices without a given extra value round-trip unchanged.
func (h *header) extras(row []string) map[string]string {
	var m map[string]string
	for i, name := range h.extra {
		if name == "" || row[i] == "" {
			continue
		}
		if m == nil {
			m = make(map[string]string)
		}
		m[name] = row[i]
	}
	return m
}

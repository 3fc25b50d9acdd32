package dataset

import (
	"encoding/csv"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/billtriage/billtriage/triage"
)

// WriteInvoices writes invs as CSV in the given order: the nine standard
// columns in their canonical order, then the union of all Extra keys sorted
// by name (an invoice without a given key gets an empty cell). Dates at
// midnight UTC are written as YYYY-MM-DD, other times as RFC 3339; amounts in
// their shortest exact form. Every invoice is validated first and ids must be
// unique; nothing is written when that fails.
func WriteInvoices(w io.Writer, invs []triage.Invoice) error {
	if err := checkInvoices(invs); err != nil {
		return err
	}
	extra, err := extraColumns(invs)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(append(slices.Clone(invoiceColumns), extra...)); err != nil {
		return fmt.Errorf("dataset: write invoice header: %w", err)
	}
	for i := range invs {
		if err := cw.Write(invoiceRow(&invs[i], extra)); err != nil {
			return fmt.Errorf("dataset: write invoice %d: %w", i, err)
		}
	}
	cw.Flush()
	return cw.Error()
}

func checkInvoices(invs []triage.Invoice) error {
	seen := make(map[string]int, len(invs))
	for i, inv := range invs {
		if le := validateInvoice(inv); le != nil {
			return fmt.Errorf("dataset: invoice %d (id %q): %w", i, inv.InvoiceID, le)
		}
		if first, dup := seen[inv.InvoiceID]; dup {
			return fmt.Errorf("dataset: invoice %d: duplicate invoice_id %q (first at invoice %d)", i, inv.InvoiceID, first)
		}
		seen[inv.InvoiceID] = i
	}
	return nil
}

// extraColumns is sorted because map order would make output vary run to run.
// Names that differ only in case are refused: ReadInvoices matches headers
// case-insensitively and would reject the file.
func extraColumns(invs []triage.Invoice) ([]string, error) {
	set := make(map[string]bool)
	for _, inv := range invs {
		for k := range inv.Extra {
			set[k] = true
		}
	}
	cols := slices.Sorted(maps.Keys(set))
	folded := make(map[string]string, len(cols))
	for _, c := range cols {
		if other, dup := folded[strings.ToLower(c)]; dup {
			return nil, fmt.Errorf("dataset: extra columns %q and %q differ only in case", other, c)
		}
		folded[strings.ToLower(c)] = c
	}
	return cols, nil
}

func invoiceRow(inv *triage.Invoice, extra []string) []string {
	paid := ""
	if inv.PaidAt != nil {
		paid = formatDate(*inv.PaidAt)
	}
	row := []string{
		inv.InvoiceID, inv.CustomerID,
		formatDate(inv.IssuedAt), formatDate(inv.DueAt),
		formatAmount(inv.Amount), inv.Currency, paid,
		strconv.FormatBool(inv.Disputed), inv.Region,
	}
	for _, k := range extra {
		row = append(row, inv.Extra[k])
	}
	return row
}

package features

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/triage"
)

// IBMLateDays is the lateness allowance of the IBM accounts-receivable
// sample: its label is DaysLate > 0, any day past due.
const IBMLateDays = 0

// ibmColumns are the IBM columns the conversion reads. DaysToSettle and
// DaysLate are outcomes derived from SettledDate and are not carried over.
var ibmColumns = []string{"countrycode", "customerid", "invoicenumber", "invoicedate", "duedate",
	"invoiceamount", "disputed", "settleddate"}

// ConvertIBM reads the IBM "Accounts Receivable" sample
// (WA_Fn-UseC_-Accounts-Receivable.csv) into invoices of the project's
// format, in file order. Amounts are USD (the sample has no currency) and
// every invoice is settled. The numeric countryCode becomes the region; it
// is in none of the fixed region vocabularies, so the features see all five
// countries as region "other" and a country's effect reaches the model only
// through the customer's history (every customer has one country).
// PaperlessBill and PaperlessDate are kept as the extra columns
// paperless_bill and paperless_date. Any malformed row is an error that
// names its line, since this is a fixed, known file.
func ConvertIBM(r io.Reader) ([]triage.Invoice, error) {
	cr := csv.NewReader(r)
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("features: IBM header: %w", err)
	}
	col, err := ibmHeader(head)
	if err != nil {
		return nil, err
	}
	var out []triage.Invoice
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("features: IBM: %w", err)
		}
		line, _ := cr.FieldPos(0)
		inv, err := ibmInvoice(func(c string) string { return strings.TrimSpace(rec[col[c]]) }, col)
		if err != nil {
			return nil, fmt.Errorf("features: IBM line %d: %w", line, err)
		}
		out = append(out, inv)
	}
}

// ibmHeader maps lower-cased column names to positions.
func ibmHeader(head []string) (map[string]int, error) {
	col := make(map[string]int, len(head))
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, c := range ibmColumns {
		if _, ok := col[c]; !ok {
			return nil, fmt.Errorf("features: IBM header lacks column %q", c)
		}
	}
	return col, nil
}

func ibmInvoice(cell func(string) string, col map[string]int) (triage.Invoice, error) {
	inv := triage.Invoice{InvoiceID: cell("invoicenumber"), CustomerID: cell("customerid"),
		Currency: "USD", Region: cell("countrycode"), Extra: ibmExtra(cell, col)}
	var err error
	if inv.IssuedAt, err = ibmDate(cell("invoicedate")); err != nil {
		return inv, fmt.Errorf("InvoiceDate: %w", err)
	}
	if inv.DueAt, err = ibmDate(cell("duedate")); err != nil {
		return inv, fmt.Errorf("DueDate: %w", err)
	}
	paid, err := ibmDate(cell("settleddate"))
	if err != nil {
		return inv, fmt.Errorf("SettledDate: %w", err)
	}
	inv.PaidAt = &paid
	if inv.Amount, err = strconv.ParseFloat(cell("invoiceamount"), 64); err != nil {
		return inv, fmt.Errorf("InvoiceAmount: %w", err)
	}
	if inv.Disputed, err = ibmYesNo(cell("disputed")); err != nil {
		return inv, err
	}
	return inv, dataset.ValidateInvoice(inv)
}

func ibmExtra(cell func(string) string, col map[string]int) map[string]string {
	extra := make(map[string]string)
	for src, dst := range map[string]string{"paperlessbill": "paperless_bill", "paperlessdate": "paperless_date"} {
		if _, ok := col[src]; ok && cell(src) != "" {
			extra[dst] = cell(src)
		}
	}
	return extra
}

// ibmDate parses the sample's M/D/YYYY dates as midnight UTC.
func ibmDate(s string) (time.Time, error) {
	return time.Parse("1/2/2006", s)
}

func ibmYesNo(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "yes":
		return true, nil
	case "no":
		return false, nil
	}
	return false, fmt.Errorf("Disputed: %q is not Yes or No", s)
}

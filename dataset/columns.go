package dataset

import (
	"slices"
	"strings"
)

// Column names of the invoice CSV.
const (
	colInvoiceID  = "invoice_id"
	colCustomerID = "customer_id"
	colIssuedAt   = "issued_at"
	colDueAt      = "due_at"
	colAmount     = "amount"
	colCurrency   = "currency"
	colPaidAt     = "paid_at"
	colDisputed   = "disputed"
	colRegion     = "region"
)

// invoiceColumns is the canonical column order written by WriteInvoices.
var invoiceColumns = []string{colInvoiceID, colCustomerID, colIssuedAt, colDueAt, colAmount, colCurrency, colPaidAt, colDisputed, colRegion}

// requiredColumns must appear in a header. paid_at is required because a file
// without it would make every invoice look unpaid; disputed and region have
// harmless defaults (false, "").
var requiredColumns = []string{colInvoiceID, colCustomerID, colIssuedAt, colDueAt, colAmount, colCurrency, colPaidAt}

// isStandardColumn matches case-insensitively because headers are matched
// that way when reading.
func isStandardColumn(name string) bool {
	return slices.Contains(invoiceColumns, strings.ToLower(name))
}

package dataset

import (
	"maps"
	"slices"
	"strings"

	"github.com/billtriage/billtriage/triage"
)

// ValidateInvoice checks one invoice and returns nil when it is valid,
// otherwise a *LineError with Line 0 whose Field is the CSV column at fault.
// Uniqueness of invoice_id is checked by ReadInvoices and WriteInvoices.
func ValidateInvoice(inv triage.Invoice) error {
	if le := validateInvoice(inv); le != nil {
		return le
	}
	return nil
}

func validateInvoice(inv triage.Invoice) *LineError {
	switch {
	case strings.TrimSpace(inv.InvoiceID) == "":
		return fieldErr(colInvoiceID, "is required")
	case strings.TrimSpace(inv.CustomerID) == "":
		return fieldErr(colCustomerID, "is required")
	case inv.IssuedAt.IsZero() || !encodableTime(inv.IssuedAt):
		return fieldErr(colIssuedAt, "is required (RFC 3339 time or YYYY-MM-DD)")
	case inv.DueAt.IsZero() || !encodableTime(inv.DueAt):
		return fieldErr(colDueAt, "is required (RFC 3339 time or YYYY-MM-DD)")
	case inv.DueAt.Before(inv.IssuedAt):
		// Almost always swapped columns; accepting it would poison lateness.
		return fieldErr(colDueAt, "is before issued_at")
	case !finite(inv.Amount):
		return fieldErr(colAmount, "must be a finite number")
	case !triage.ValidCurrency(inv.Currency):
		return fieldErr(colCurrency, "must be 3 uppercase letters (ISO 4217)")
	case inv.PaidAt != nil && (inv.PaidAt.IsZero() || !encodableTime(*inv.PaidAt)):
		return fieldErr(colPaidAt, "must be a real time when set")
	}
	return validateExtra(inv.Extra)
}

// validateExtra rejects extra columns that would clash with the standard
// ones, since a written file could then not be read back.
func validateExtra(extra map[string]string) *LineError {
	// Sorted so that the same bad map always yields the same error.
	for _, k := range slices.Sorted(maps.Keys(extra)) {
		if k == "" || k != strings.TrimSpace(k) {
			return fieldErr(k, "extra column name is empty or has surrounding spaces")
		}
		if isStandardColumn(k) {
			return fieldErr(k, "extra column clashes with a standard column")
		}
	}
	return nil
}

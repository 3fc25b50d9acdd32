package features

import (
	"time"

	"github.com/billtriage/billtriage/dataset"
)

// Invoice is what the features read from an invoice: the columns of the
// invoice CSV less the extra ones.
type Invoice struct {
	ID, CustomerID  string
	IssuedAt, DueAt time.Time
	Amount          float64
	Currency        string
	Region          string
	PaidAt          *time.Time // nil while unpaid
	Disputed        bool
}

// FromDataset converts an invoice read from the invoice CSV.
func FromDataset(in dataset.Invoice) Invoice {
	return Invoice{ID: in.InvoiceID, CustomerID: in.CustomerID, IssuedAt: in.IssuedAt, DueAt: in.DueAt,
		Amount: in.Amount, Currency: in.Currency, Region: in.Region, PaidAt: in.PaidAt, Disputed: in.Disputed}
}

// FromDatasetAll converts a whole file's worth of invoices, in order.
func FromDatasetAll(ins []dataset.Invoice) []Invoice {
	out := make([]Invoice, len(ins))
	for i, in := range ins {
		out[i] = FromDataset(in)
	}
	return out
}

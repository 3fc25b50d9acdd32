package dataset

import "time"

// Invoice is one row of the invoice CSV.
type Invoice struct {
	InvoiceID, CustomerID string
	IssuedAt, DueAt       time.Time
	Amount                float64
	Currency              string
	PaidAt                *time.Time // nil when unpaid
	Disputed              bool
	Region                string
	Extra                 map[string]string // extra columns, kept
}

package risk

import (
	"context"
	"io"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/triage"
)

// ReadInvoices reads an invoice CSV. Malformed lines are returned, not
// fatal: the good lines are kept and the caller reports the others.
func ReadInvoices(r io.Reader) ([]triage.Invoice, []*dataset.LineError, error) {
	var out []triage.Invoice
	lineErrs, err := dataset.ReadInvoices(r, func(in triage.Invoice) error {
		out = append(out, in)
		return nil
	})
	return out, lineErrs, err
}

// Upserter is the part of a triage.InvoiceStore that stores invoices.
type Upserter interface {
	UpsertInvoices(ctx context.Context, invs []triage.Invoice) error
}

// upsertBatch bounds one statement, so that a file of any size is stored
// in requests of bounded size.
const upsertBatch = 1000

// StoreInvoices upserts invs in batches.
func StoreInvoices(ctx context.Context, st Upserter, invs []triage.Invoice) error {
	for start := 0; start < len(invs); start += upsertBatch {
		if err := st.UpsertInvoices(ctx, invs[start:min(start+upsertBatch, len(invs))]); err != nil {
			return err
		}
	}
	return nil
}

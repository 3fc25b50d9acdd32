package postgres

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/billtriage/billtriage/triage"
)

var _ triage.InvoiceStore = (*Store)(nil)

const upsertInvoiceSQL = `INSERT INTO invoices (invoice_id, customer_id, issued_at, due_at, amount, currency, paid_at, disputed, region, extra)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
	ON CONFLICT (invoice_id) DO UPDATE SET customer_id = EXCLUDED.customer_id, issued_at = EXCLUDED.issued_at,
		due_at = EXCLUDED.due_at, amount = EXCLUDED.amount, currency = EXCLUDED.currency, paid_at = EXCLUDED.paid_at,
		disputed = EXCLUDED.disputed, region = EXCLUDED.region, extra = EXCLUDED.extra`

// UpsertInvoices inserts or updates invoices by invoice id, so a newer
// export (an invoice since paid, say) replaces the older row.
func (s *Store) UpsertInvoices(ctx context.Context, invs []triage.Invoice) error {
	b := &pgx.Batch{}
	for _, in := range invs {
		extra := []byte("{}")
		if in.Extra != nil {
			var err error
			if extra, err = json.Marshal(in.Extra); err != nil {
				return triage.Wrap(triage.EINVALID, err, "invoice %s: extra columns", in.InvoiceID)
			}
		}
		b.Queue(upsertInvoiceSQL,
			in.InvoiceID, in.CustomerID, in.IssuedAt, in.DueAt, in.Amount, in.Currency, in.PaidAt, in.Disputed, in.Region, string(extra))
	}
	return translate(s.db.Pool.SendBatch(ctx, b).Close())
}

const invoiceColumns = `invoice_id, customer_id, issued_at, due_at, amount::float8, currency, paid_at, disputed, region, extra`

func scanInvoice(r pgx.CollectableRow) (triage.Invoice, error) {
	var in triage.Invoice
	var extra []byte
	if err := r.Scan(&in.InvoiceID, &in.CustomerID, &in.IssuedAt, &in.DueAt, &in.Amount, &in.Currency, &in.PaidAt,
		&in.Disputed, &in.Region, &extra); err != nil {
		return in, err
	}
	if len(extra) > 2 {
		if err := json.Unmarshal(extra, &in.Extra); err != nil {
			return in, err
		}
	}
	return in, nil
}

// Invoice reads, each selecting invoiceColumns for scanInvoice.
const (
	invoiceSQL          = `SELECT ` + invoiceColumns + ` FROM invoices WHERE invoice_id = $1`
	customerInvoicesSQL = `SELECT ` + invoiceColumns + ` FROM invoices WHERE customer_id = $1 AND issued_at < $2 ORDER BY issued_at, invoice_id`
	allInvoicesSQL      = `SELECT ` + invoiceColumns + ` FROM invoices ORDER BY issued_at, invoice_id`
)

// invoices runs sql, one of the invoice reads, with args.
func (s *Store) invoices(ctx context.Context, sql string, args ...any) ([]triage.Invoice, error) {
	rows, err := s.db.Pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, scanInvoice)
	return out, translate(err)
}

// Invoice returns one invoice.
func (s *Store) Invoice(ctx context.Context, id string) (triage.Invoice, error) {
	invs, err := s.invoices(ctx, invoiceSQL, id)
	if err != nil {
		return triage.Invoice{}, err
	}
	if len(invs) == 0 {
		return triage.Invoice{}, triage.Errorf(triage.ENOTFOUND, "invoice %s not found", id)
	}
	return invs[0], nil
}

// CustomerInvoices returns the customer's invoices issued before t.
func (s *Store) CustomerInvoices(ctx context.Context, customerID string, before time.Time) ([]triage.Invoice, error) {
	return s.invoices(ctx, customerInvoicesSQL, customerID, before)
}

// AllInvoices returns every invoice in issue order.
func (s *Store) AllInvoices(ctx context.Context) ([]triage.Invoice, error) {
	return s.invoices(ctx, allInvoicesSQL)
}

const openExceptionsSQL = `SELECT count(*) FROM exceptions WHERE customer_id = $1 AND status IN ('received', 'triaged', 'queued')`

// OpenExceptions counts the customer's exceptions still open.
func (s *Store) OpenExceptions(ctx context.Context, customerID string) (int, error) {
	var n int
	err := s.db.Pool.QueryRow(ctx, openExceptionsSQL,
		customerID).Scan(&n)
	return n, translate(err)
}

const invoiceCountSQL = `SELECT count(*) FROM invoices`

// InvoiceCount returns how many invoices are stored.
func (s *Store) InvoiceCount(ctx context.Context) (int, error) {
	var n int
	err := s.db.Pool.QueryRow(ctx, invoiceCountSQL).Scan(&n)
	return n, translate(err)
}

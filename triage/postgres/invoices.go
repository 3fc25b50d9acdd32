package postgres

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/billtriage/billtriage/triage"
)

// Invoice is an invoice row as stored.
type Invoice struct {
	InvoiceID  string
	CustomerID string
	IssuedAt   time.Time
	DueAt      time.Time
	Amount     float64
	Currency   string
	PaidAt     *time.Time
	Disputed   bool
	Region     string
	Extra      map[string]string
}

// UpsertInvoices inserts or updates invoices by invoice id, so a newer
// export (an invoice since paid, say) replaces the older row.
func (s *Store) UpsertInvoices(ctx context.Context, invs []Invoice) error {
	b := &pgx.Batch{}
	for _, in := range invs {
		extra, err := json.Marshal(in.Extra)
		if err != nil {
			return triage.Wrap(triage.EINVALID, err, "invoice %s: extra columns", in.InvoiceID)
		}
		if in.Extra == nil {
			extra = []byte("{}")
		}
		b.Queue(`INSERT INTO invoices (invoice_id, customer_id, issued_at, due_at, amount, currency, paid_at, disputed, region, extra)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
			ON CONFLICT (invoice_id) DO UPDATE SET customer_id = EXCLUDED.customer_id, issued_at = EXCLUDED.issued_at,
				due_at = EXCLUDED.due_at, amount = EXCLUDED.amount, currency = EXCLUDED.currency, paid_at = EXCLUDED.paid_at,
				disputed = EXCLUDED.disputed, region = EXCLUDED.region, extra = EXCLUDED.extra`,
			in.InvoiceID, in.CustomerID, in.IssuedAt, in.DueAt, in.Amount, in.Currency, in.PaidAt, in.Disputed, in.Region, string(extra))
	}
	return translate(s.db.Pool.SendBatch(ctx, b).Close())
}

// InvoiceCount returns how many invoices are stored.
func (s *Store) InvoiceCount(ctx context.Context) (int, error) {
	var n int
	err := s.db.Pool.QueryRow(ctx, `SELECT count(*) FROM invoices`).Scan(&n)
	return n, translate(err)
}

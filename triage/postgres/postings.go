package postgres

import (
	"context"

	"github.com/billtriage/billtriage/triage"
)

var _ triage.PostingStore = (*Store)(nil)

// recordPostingSQL keeps a posting's latest outcome. The WHERE clause
// leaves a newer stored outcome alone, so a delayed report of an earlier
// failure cannot undo the success that followed it.
const recordPostingSQL = `INSERT INTO postings (posting_id, invoice_id, status, erp, exception_id, at)
	VALUES ($1, $2, $3, $4, nullif($5, 0), $6)
	ON CONFLICT (posting_id) DO UPDATE SET invoice_id = EXCLUDED.invoice_id, status = EXCLUDED.status,
		erp = EXCLUDED.erp, exception_id = coalesce(EXCLUDED.exception_id, postings.exception_id),
		at = EXCLUDED.at, recorded_at = now()
	WHERE postings.at <= EXCLUDED.at`

// RecordPosting stores a posting's outcome under its id.
func (s *Store) RecordPosting(ctx context.Context, p triage.Posting, exceptionID int64) error {
	_, err := s.db.Pool.Exec(ctx, recordPostingSQL, p.ID, p.InvoiceID, string(p.Status), p.ERP, exceptionID, p.OccurredAt)
	return translate(err)
}

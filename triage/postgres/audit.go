package postgres

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5"

	"github.com/billtriage/billtriage/triage"
)

const insertAuditSQL = `INSERT INTO audit_log (exception_id, at, actor, action, detail) VALUES ($1, $2, $3, $4, $5)`

// appendAudit inserts audit rows in tx. The table refuses UPDATE, DELETE
// and TRUNCATE by trigger, so history cannot be rewritten even by a buggy
// or compromised service.
func appendAudit(ctx context.Context, tx pgx.Tx, entries []triage.AuditEntry) error {
	for _, a := range entries {
		detail, err := json.Marshal(a.Detail)
		if err != nil {
			return triage.Wrap(triage.EINTERNAL, err, "encode audit detail")
		}
		if _, err := tx.Exec(ctx, insertAuditSQL,
			a.ExceptionID, a.At, a.Actor, a.Action, detail); err != nil {
			return translate(err)
		}
	}
	return nil
}

// queueAudit queues audit rows on b, for a caller that sends it in a
// transaction (see appendAudit).
func queueAudit(b *pgx.Batch, entries []triage.AuditEntry) error {
	for _, a := range entries {
		detail, err := json.Marshal(a.Detail)
		if err != nil {
			return triage.Wrap(triage.EINTERNAL, err, "encode audit detail")
		}
		b.Queue(insertAuditSQL, a.ExceptionID, a.At, a.Actor, a.Action, detail)
	}
	return nil
}

const auditSQL = `SELECT id, exception_id, at, actor, action, detail FROM audit_log WHERE exception_id = $1 ORDER BY id`

// Audit returns the audit rows of an exception, oldest first.
func (s *Store) Audit(ctx context.Context, exceptionID int64) ([]triage.AuditEntry, error) {
	rows, err := s.db.Pool.Query(ctx, auditSQL, exceptionID)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (triage.AuditEntry, error) {
		var a triage.AuditEntry
		var detail []byte
		if err := r.Scan(&a.ID, &a.ExceptionID, &a.At, &a.Actor, &a.Action, &detail); err != nil {
			return a, err
		}
		return a, unmarshalMap(detail, &a.Detail)
	})
	return out, translate(err)
}

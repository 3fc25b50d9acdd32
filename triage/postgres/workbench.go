package postgres

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/billtriage/billtriage/triage"
)

// lockAssigneeSQL locks an exception row before an assignment and reads
// what the assignment is checked against.
const lockAssigneeSQL = `SELECT status, coalesce(assignee, '') FROM exceptions WHERE id = $1 FOR UPDATE`

// setAssigneeSQL writes only the assignee, so an assignment cannot
// overwrite a concurrent reassignment's queue or status.
const setAssigneeSQL = `UPDATE exceptions SET assignee = nullif($2, ''), updated_at = $3 WHERE id = $1`

// Assign writes the exception's assignee with its audit row and events.
// The row is locked and its assignee compared with expect, so of two people
// claiming the same item at once the second is told it is taken.
func (s *Store) Assign(ctx context.Context, ex triage.Exception, expect string, audit triage.AuditEntry, events ...triage.Event) error {
	return translate(pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		var status triage.Status
		var current string
		if err := tx.QueryRow(ctx, lockAssigneeSQL, ex.ID).Scan(&status, &current); err != nil {
			return translate(err)
		}
		if !status.Open() {
			return triage.Errorf(triage.ECONFLICT, "exception %d is already %s", ex.ID, status)
		}
		if current != expect {
			return triage.Errorf(triage.ECONFLICT, "exception %d was assigned to %q meanwhile", ex.ID, current)
		}
		if _, err := tx.Exec(ctx, setAssigneeSQL, ex.ID, ex.Assignee, audit.At); err != nil {
			return translate(err)
		}
		if err := appendAudit(ctx, tx, []triage.AuditEntry{audit}); err != nil {
			return err
		}
		return s.appendEvents(ctx, tx, events)
	}))
}

const (
	insertCommentSQL = `INSERT INTO comments (exception_id, at, author, body) VALUES ($1, $2, $3, $4) RETURNING id`
	commentsSQL      = `SELECT id, exception_id, at, author, body FROM comments WHERE exception_id = $1 ORDER BY at, id`
)

// AddComment appends a comment and its audit row in one transaction.
func (s *Store) AddComment(ctx context.Context, c triage.Comment, audit triage.AuditEntry) (triage.Comment, error) {
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, insertCommentSQL, c.ExceptionID, c.At, c.Author, c.Body).Scan(&c.ID); err != nil {
			return translate(err)
		}
		audit.Detail["comment_id"] = c.ID
		return appendAudit(ctx, tx, []triage.AuditEntry{audit})
	})
	return c, translate(err)
}

// Comments returns an exception's comments, oldest first.
func (s *Store) Comments(ctx context.Context, exceptionID int64) ([]triage.Comment, error) {
	rows, err := s.db.Pool.Query(ctx, commentsSQL, exceptionID)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (triage.Comment, error) {
		var c triage.Comment
		err := r.Scan(&c.ID, &c.ExceptionID, &c.At, &c.Author, &c.Body)
		return c, err
	})
	return out, translate(err)
}

// exceptionResolutionSQL reads a person's resolution of an exception;
// imported history has no exception and is never matched.
const exceptionResolutionSQL = `SELECT id, exception_id, external_id, type, text, root_cause, action, params, queue, verdict,
		resolved_by, note, occurred_at, resolved_at, embedder
	FROM resolutions WHERE exception_id = $1 ORDER BY id DESC LIMIT 1`

// ExceptionResolution returns the resolution stored for an exception.
func (s *Store) ExceptionResolution(ctx context.Context, exceptionID int64) (triage.Resolution, error) {
	var r triage.Resolution
	var params []byte
	err := s.db.Pool.QueryRow(ctx, exceptionResolutionSQL, exceptionID).Scan(&r.ID, &r.ExceptionID, &r.ExternalID, &r.Type,
		&r.Text, &r.RootCause, &r.Action, &params, &r.Queue, &r.Verdict, &r.ResolvedBy, &r.Note, &r.OccurredAt, &r.ResolvedAt, &r.Embedder)
	if err != nil {
		if triage.ErrorCode(translate(err)) == triage.ENOTFOUND {
			return r, triage.Errorf(triage.ENOTFOUND, "exception %d has no resolution", exceptionID)
		}
		return r, translate(err)
	}
	return r, unmarshalMap(params, &r.Params)
}

// relatedItemsSQL reads the other exceptions of a customer or an invoice
// ($1, $2; an empty one matches nothing) with their latest decision's
// summary, as a queue page does.
// relatedItemsSQL reads items as the queue does, so scanQueueItem serves
// both.
const relatedItemsSQL = queueSelectSQL + latestDecisionJoinSQL + `
	WHERE ((e.customer_id = $1 AND $1 <> '') OR (e.invoice_id = $2 AND $2 <> '')) AND e.id <> $3
	ORDER BY e.occurred_at DESC, e.id DESC LIMIT $4`

// RelatedItems returns the customer's and invoice's other exceptions.
func (s *Store) RelatedItems(ctx context.Context, customerID, invoiceID string, exclude int64, limit int) ([]triage.QueueItem, error) {
	rows, err := s.db.Pool.Query(ctx, relatedItemsSQL, customerID, invoiceID, exclude, limit)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, scanQueueItem)
	return out, translate(err)
}

const relatedInvoicesSQL = `SELECT ` + invoiceColumns + ` FROM invoices
	WHERE (customer_id = $1 AND $1 <> '') OR (invoice_id = $2 AND $2 <> '')
	ORDER BY issued_at DESC, invoice_id LIMIT $3`

// RelatedInvoices returns the customer's invoices and the invoice itself.
func (s *Store) RelatedInvoices(ctx context.Context, customerID, invoiceID string, limit int) ([]triage.Invoice, error) {
	return s.invoices(ctx, relatedInvoicesSQL, customerID, invoiceID, limit)
}

// autoAppliedSQL lists automatic decisions newest first. Every filter is a
// parameter that is NULL when unset, so one constant statement serves all
// combinations: $1 queues, $2 type, $3 action, $4 from, $5 to, $6 limit.
const autoAppliedSQL = `SELECT ` + exceptionColumns + `,
		coalesce(d.suggestion->>'root_cause', ''), coalesce(d.suggestion->>'action', ''),
		coalesce((d.suggestion->>'confidence')::float8, 0), d.suggestion->'params', d.decided_at, d.enrichments,
		EXISTS (SELECT 1 FROM audit_log a WHERE a.exception_id = e.id AND a.action = 'reverted')
	FROM decisions d JOIN exceptions e ON e.id = d.exception_id
	WHERE d.outcome = 'auto' AND e.queue = ANY($1)
		AND ($2::text IS NULL OR e.type = $2) AND ($3::text IS NULL OR d.suggestion->>'action' = $3)
		AND ($4::timestamptz IS NULL OR d.decided_at >= $4) AND ($5::timestamptz IS NULL OR d.decided_at < $5)
	ORDER BY d.decided_at DESC, d.id DESC LIMIT $6`

// AutoApplied lists what the policy applied automatically.
func (s *Store) AutoApplied(ctx context.Context, q triage.AutoQuery) ([]triage.AutoItem, error) {
	queues := make([]string, len(q.Queues))
	for i, v := range q.Queues {
		queues[i] = string(v)
	}
	rows, err := s.db.Pool.Query(ctx, autoAppliedSQL, queues, nullString(string(q.Type)), nullString(q.Action),
		nullTime(q.From), nullTime(q.To), q.Limit)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, scanAutoItem)
	return out, translate(err)
}

func scanAutoItem(r pgx.CollectableRow) (triage.AutoItem, error) {
	var it triage.AutoItem
	var attrs, enr, params, enrichments []byte
	e := &it.Exception
	err := r.Scan(&e.ID, &e.Source, &e.ExternalID, &e.Type, &e.OccurredAt, &e.Text, &e.CustomerID, &e.InvoiceID,
		&e.Amount, &e.Currency, &e.Region, &attrs, &e.Status, &e.Queue, &e.SortKey, &enr, &e.ContentHash, &e.CreatedAt, &e.UpdatedAt, &e.Assignee,
		&it.RootCause, &it.Action, &it.Confidence, &params, &it.DecidedAt, &enrichments, &it.Reverted)
	if err != nil {
		return it, err
	}
	for _, m := range []struct {
		b []byte
		v *map[string]any
	}{{attrs, &e.Attributes}, {enr, &e.Enrichment}, {params, &it.Params}} {
		if err := unmarshalMap(m.b, m.v); err != nil {
			return it, err
		}
	}
	if len(enrichments) > 0 {
		var es []triage.Enrichment
		if err := json.Unmarshal(enrichments, &es); err != nil {
			return it, triage.Wrap(triage.EINTERNAL, err, "decode stored enrichments")
		}
		it.Corrections = triage.AppliedCorrections(es)
	}
	it.Revertible = e.Status == triage.StatusAutoEnriched
	return it, nil
}

func nullString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

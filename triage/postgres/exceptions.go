package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/billtriage/billtriage/triage"
)

// Store implements triage.Store on a DB.
type Store struct {
	db *DB
	// jobs inserts River jobs in the store's transactions (see outbox.go).
	insertOnce sync.Once
	jobs       *river.Client[pgx.Tx]
	jobsErr    error
}

// NewStore returns a store on db.
func NewStore(db *DB) *Store { return &Store{db: db} }

var _ triage.Store = (*Store)(nil)

// exceptionColumns reads an exception from a table aliased e.
const exceptionColumns = `e.id, e.source, coalesce(e.external_id, ''), e.type, e.occurred_at, e.text, e.customer_id, e.invoice_id,
	e.amount::float8, e.currency, e.region, e.attributes, e.status, coalesce(e.queue, ''), e.sort_key, e.enrichment, coalesce(e.content_hash, ''), e.created_at, e.updated_at,
	coalesce(e.assignee, '')`

func scanException(row pgx.Row) (triage.Exception, error) {
	var e triage.Exception
	var attrs, enr []byte
	err := row.Scan(&e.ID, &e.Source, &e.ExternalID, &e.Type, &e.OccurredAt, &e.Text, &e.CustomerID, &e.InvoiceID,
		&e.Amount, &e.Currency, &e.Region, &attrs, &e.Status, &e.Queue, &e.SortKey, &enr, &e.ContentHash, &e.CreatedAt, &e.UpdatedAt, &e.Assignee)
	if err != nil {
		return e, translate(err)
	}
	if err := unmarshalMap(attrs, &e.Attributes); err != nil {
		return e, err
	}
	return e, unmarshalMap(enr, &e.Enrichment)
}

// CreateExceptions inserts the batch in one transaction. A record whose
// (source, external id) exists with the same content is returned as
// stored, not inserted again; with other content the whole batch fails
// with ECONFLICT naming the item, and nothing is stored.
//
// The inserts, each with its audit row, go in one round trip (they were
// two per item), and the commit does not wait for the WAL to reach disk
// (synchronous_commit off for this transaction only). That is safe
// because no POST is answered before a later commit that does
// wait: the decision's (SaveDecision), whose flush takes every earlier
// WAL record with it. A crash of the database in between can lose an
// unanswered item, which the client's retry stores again; the one it
// cannot lose is an answered one. When triage then fails (the embedder is
// down) the client is told to retry, which stores it again if need be.
func (s *Store) CreateExceptions(ctx context.Context, exs []triage.Exception) ([]triage.CreateResult, error) {
	out := make([]triage.CreateResult, len(exs))
	var b pgx.Batch
	b.Queue(asyncCommitSQL) // the load's statement: see load.go
	exts := make([]*string, len(exs))
	for i, e := range exs {
		attrs, err := marshalMap(e.Attributes, "{}")
		if err != nil {
			return nil, triage.ItemError(err, i, len(exs))
		}
		detail, err := json.Marshal(map[string]any{"source": e.Source, "external_id": e.ExternalID})
		if err != nil {
			return nil, triage.ItemError(triage.Wrap(triage.EINTERNAL, err, "encode audit detail"), i, len(exs))
		}
		if e.ExternalID != "" {
			exts[i] = &e.ExternalID
		}
		b.Queue(insertExceptionSQL,
			e.Source, exts[i], e.Type, e.OccurredAt, e.Text, e.CustomerID, e.InvoiceID, e.Amount, e.Currency, e.Region, attrs,
			triage.StatusReceived, e.ContentHash, triage.SystemActor, triage.AuditReceived, detail)
	}
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		br := tx.SendBatch(ctx, &b)
		defer br.Close()
		if _, err := br.Exec(); err != nil {
			return translate(err)
		}
		var repeats []int
		for i := range exs {
			stored, err := scanException(br.QueryRow())
			switch {
			case triage.ErrorCode(err) == triage.ENOTFOUND:
				repeats = append(repeats, i)
			case err != nil:
				return triage.ItemError(err, i, len(exs))
			default:
				out[i] = triage.CreateResult{Exception: stored, Created: true}
			}
		}
		if err := br.Close(); err != nil {
			return translate(err)
		}
		for _, i := range repeats {
			r, err := repeated(ctx, tx, exs[i], exts[i])
			if err != nil {
				return triage.ItemError(err, i, len(exs))
			}
			out[i] = r
		}
		return nil
	})
	if err != nil {
		return nil, translate(err)
	}
	return out, nil
}

// insertExceptionSQL inserts an exception with its "received" audit row
// and returns it, or no row for a repeated (source, external id), which
// CreateExceptions then reads with exceptionBySourceSQL in the same
// transaction.
const insertExceptionSQL = `WITH e AS (
		INSERT INTO exceptions AS e (source, external_id, type, occurred_at, text, customer_id, invoice_id,
			amount, currency, region, attributes, status, content_hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, nullif($13, ''))
		ON CONFLICT (source, external_id) DO NOTHING
		RETURNING e.*),
	a AS (INSERT INTO audit_log (exception_id, at, actor, action, detail) SELECT id, created_at, $14, $15, $16 FROM e)
	SELECT ` + exceptionColumns + ` FROM e`

const exceptionBySourceSQL = `SELECT ` + exceptionColumns + ` FROM exceptions e WHERE source = $1 AND external_id = $2`

// repeated returns the stored record of a repeated (source, external id),
// refusing a repeat whose content differs: that is another record, and
// the stored one must not be answered for it or changed by it.
func repeated(ctx context.Context, tx pgx.Tx, e triage.Exception, ext *string) (triage.CreateResult, error) {
	stored, err := scanException(tx.QueryRow(ctx, exceptionBySourceSQL, e.Source, ext))
	if err != nil {
		return triage.CreateResult{}, err
	}
	if stored.ContentHash != "" && e.ContentHash != "" && stored.ContentHash != e.ContentHash {
		return triage.CreateResult{}, &triage.Error{Code: triage.ECONFLICT, Field: "id",
			Message: fmt.Sprintf("source %q and id %q already name a record with other content; send it under a new id", e.Source, e.ExternalID)}
	}
	return triage.CreateResult{Exception: stored}, nil
}

const exceptionSQL = `SELECT ` + exceptionColumns + ` FROM exceptions e WHERE id = $1`

// Exception returns exception id.
func (s *Store) Exception(ctx context.Context, id int64) (triage.Exception, error) {
	e, err := scanException(s.db.Pool.QueryRow(ctx, exceptionSQL, id))
	if triage.ErrorCode(err) == triage.ENOTFOUND {
		return e, triage.Errorf(triage.ENOTFOUND, "exception %d not found", id)
	}
	return e, err
}

const updateExceptionSQL = `UPDATE exceptions SET status = $2, queue = $3, sort_key = $4, enrichment = $5, updated_at = $6,
	attributes = $7, assignee = nullif($8, '') WHERE id = $1`

// updateException writes the mutable fields of e.
func updateException(ctx context.Context, tx pgx.Tx, e triage.Exception, now time.Time) error {
	enr, err := marshalMap(e.Enrichment, "")
	if err != nil {
		return err
	}
	attrs, err := marshalMap(e.Attributes, "{}")
	if err != nil {
		return err
	}
	var q *triage.Queue
	if e.Queue != "" {
		q = &e.Queue
	}
	tag, err := tx.Exec(ctx, updateExceptionSQL, e.ID, e.Status, q, e.SortKey, enr, now, attrs, e.Assignee)
	if err != nil {
		return translate(err)
	}
	if tag.RowsAffected() == 0 {
		return triage.Errorf(triage.ENOTFOUND, "exception %d not found", e.ID)
	}
	return nil
}

func marshalMap(m map[string]any, empty string) (any, error) {
	if m == nil {
		if empty == "" {
			return nil, nil
		}
		return empty, nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil, triage.Wrap(triage.EINVALID, err, "attributes are not JSON-encodable")
	}
	return string(b), nil
}

func unmarshalMap(b []byte, m *map[string]any) error {
	if len(b) == 0 || string(b) == "null" {
		return nil
	}
	if err := json.Unmarshal(b, m); err != nil {
		return triage.Wrap(triage.EINTERNAL, err, "decode stored JSON")
	}
	return nil
}

// lockExceptionSQL locks an exception row before a change that needs it
// open, so two people cannot both close it.
const lockExceptionSQL = `SELECT status FROM exceptions WHERE id = $1 FOR UPDATE`

// lockStatus locks exception id's row for the rest of tx and fails with
// ECONFLICT unless its status passes ok, so two writers that both read it
// open cannot both act: the second waits, then sees what the first did.
func lockStatus(ctx context.Context, tx pgx.Tx, id int64, ok func(triage.Status) bool) error {
	var status triage.Status
	if err := tx.QueryRow(ctx, lockExceptionSQL, id).Scan(&status); err != nil {
		return translate(err)
	}
	if !ok(status) {
		return triage.Errorf(triage.ECONFLICT, "exception %d is already %s", id, status)
	}
	return nil
}

// Move updates an open exception's queue and status with its audit row.
func (s *Store) Move(ctx context.Context, ex triage.Exception, audit triage.AuditEntry, events ...triage.Event) error {
	return translate(pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		if err := lockStatus(ctx, tx, ex.ID, triage.Status.Open); err != nil {
			return err
		}
		if err := updateException(ctx, tx, ex, audit.At); err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, []triage.AuditEntry{audit}); err != nil {
			return err
		}
		return s.appendEvents(ctx, tx, events)
	}))
}

// claimStrandedSQL leases up to $2 exceptions left in received for more
// than $1 seconds, by the database's clock, which every replica shares: it
// bumps their updated_at so another replica's sweep passes
// them over for a while, and SKIP LOCKED passes over rows a request is
// deciding right now.
const claimStrandedSQL = `UPDATE exceptions e SET updated_at = now()
	WHERE id IN (SELECT id FROM exceptions WHERE status = 'received' AND updated_at < now() - make_interval(secs => $1)
		ORDER BY updated_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
	RETURNING ` + exceptionColumns

// ClaimStranded leases exceptions a crash, outage or shutdown left before
// triage.
func (s *Store) ClaimStranded(ctx context.Context, after time.Duration, limit int) ([]triage.Exception, error) {
	rows, err := s.db.Pool.Query(ctx, claimStrandedSQL, after.Seconds(), limit)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (triage.Exception, error) { return scanException(r) })
	return out, translate(err)
}

package postgres

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5"

	"github.com/billtriage/billtriage/triage"
)

const insertDecisionSQL = `INSERT INTO decisions (exception_id, suggestion, neighbors, outcome, assigned_queue, priority,
		reasons, policy_version, model_version, embedder, decided_at, risk, enrichments, why, holds)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`

// SaveDecision stores d and the exception's new state with its audit rows.
func (s *Store) SaveDecision(ctx context.Context, ex triage.Exception, d triage.Decision, audit []triage.AuditEntry, events ...triage.Event) (triage.Decision, error) {
	sug, err := json.Marshal(d.Suggestion)
	if err != nil {
		return d, triage.Wrap(triage.EINTERNAL, err, "encode suggestion")
	}
	ns, _ := json.Marshal(nonNil(d.Neighbors))
	reasons, _ := json.Marshal(d.Reasons)
	var risk, enr []byte
	if d.Risk != nil {
		risk, _ = json.Marshal(d.Risk)
	}
	if len(d.Enrichments) > 0 {
		enr, _ = json.Marshal(d.Enrichments)
	}
	enrAttrs, err := marshalMap(ex.Enrichment, "")
	if err != nil {
		return d, err
	}
	attrs, err := marshalMap(ex.Attributes, "{}")
	if err != nil {
		return d, err
	}
	var q *triage.Queue
	if ex.Queue != "" {
		q = &ex.Queue
	}
	// One round trip for the lock, the exception, the decision, its audit
	// rows and events (was one each), then River's job insert and the
	// commit: the same statements in the same transaction, pipelined.
	var b pgx.Batch
	b.Queue(lockExceptionSQL, ex.ID)
	b.Queue(decideExceptionSQL, ex.ID, ex.Status, q, ex.SortKey, enrAttrs, d.DecidedAt, attrs, ex.Assignee)
	b.Queue(insertDecisionSQL,
		ex.ID, sug, ns, d.Outcome, d.AssignedQueue, d.Priority, reasons, d.PolicyVersion, d.ModelVersion, d.Embedder, d.DecidedAt,
		risk, enr, whyStrings(d.Why), holdStrings(d.Holds))
	if err := queueAudit(&b, audit); err != nil {
		return d, err
	}
	jobs, err := queueEvents(&b, events)
	if err != nil {
		return d, err
	}
	err = pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		br := tx.SendBatch(ctx, &b)
		defer br.Close()
		// Only a received item is decided: the row lock makes a concurrent
		// triage of the same item wait here, then find it decided. The
		// statements after the lock are queued already; the update only
		// touches a received row, and whatever they did is rolled back
		// with the conflict.
		var status triage.Status
		if err := br.QueryRow().Scan(&status); err != nil {
			return translate(err)
		}
		if status != triage.StatusReceived {
			return triage.Errorf(triage.ECONFLICT, "exception %d is already %s", ex.ID, status)
		}
		if _, err := br.Exec(); err != nil {
			return translate(err)
		}
		if err := br.QueryRow().Scan(&d.ID); err != nil {
			return translate(err)
		}
		for range b.Len() - 3 {
			if _, err := br.Exec(); err != nil {
				return translate(err)
			}
		}
		if err := br.Close(); err != nil {
			return translate(err)
		}
		return s.insertJobs(ctx, tx, jobs)
	})
	return d, translate(err)
}

// decideExceptionSQL is updateExceptionSQL for a received row only: it is
// queued behind the lock, before the status is seen.
const decideExceptionSQL = `UPDATE exceptions SET status = $2, queue = $3, sort_key = $4, enrichment = $5, updated_at = $6,
	attributes = $7, assignee = nullif($8, '') WHERE id = $1 AND status = 'received'`

const latestDecisionSQL = `SELECT id, exception_id, suggestion, neighbors, outcome, coalesce(assigned_queue, ''), priority,
		reasons, policy_version, model_version, embedder, decided_at, risk, enrichments, why
	FROM decisions WHERE exception_id = $1 ORDER BY id DESC LIMIT 1`

// LatestDecision returns the newest decision of an exception.
func (s *Store) LatestDecision(ctx context.Context, exceptionID int64) (triage.Decision, error) {
	var d triage.Decision
	var sug, ns, reasons, risk, enr []byte
	var why []string
	err := s.db.Pool.QueryRow(ctx, latestDecisionSQL, exceptionID).
		Scan(&d.ID, &d.ExceptionID, &sug, &ns, &d.Outcome, &d.AssignedQueue, &d.Priority, &reasons,
			&d.PolicyVersion, &d.ModelVersion, &d.Embedder, &d.DecidedAt, &risk, &enr, &why)
	if err != nil {
		if triage.ErrorCode(translate(err)) == triage.ENOTFOUND {
			return d, triage.Errorf(triage.ENOTFOUND, "exception %d has no decision", exceptionID)
		}
		return d, translate(err)
	}
	for _, p := range []struct {
		b []byte
		v any
	}{{sug, &d.Suggestion}, {ns, &d.Neighbors}, {reasons, &d.Reasons}} {
		if err := json.Unmarshal(p.b, p.v); err != nil {
			return d, triage.Wrap(triage.EINTERNAL, err, "decode stored decision")
		}
	}
	d.Why = whys(why)
	if len(enr) > 0 {
		if err := json.Unmarshal(enr, &d.Enrichments); err != nil {
			return d, triage.Wrap(triage.EINTERNAL, err, "decode stored enrichments")
		}
	}
	if len(risk) > 0 {
		d.Risk = new(triage.Risk)
		if err := json.Unmarshal(risk, d.Risk); err != nil {
			return d, triage.Wrap(triage.EINTERNAL, err, "decode stored risk")
		}
	}
	return d, nil
}

func nonNil(ns []triage.Neighbor) []triage.Neighbor {
	if ns == nil {
		return []triage.Neighbor{}
	}
	return ns
}

// whyStrings is the tags as the text[] column stores them; nil (NULL) for
// none.
func whyStrings(ws []triage.Why) []string {
	if len(ws) == 0 {
		return nil
	}
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = string(w)
	}
	return out
}

// holdStrings is the holds as the text[] column stores them: never NULL,
// which marks decisions made before holds were recorded.
func holdStrings(hs []string) []string {
	if hs == nil {
		return []string{}
	}
	return hs
}

// whys is the stored tags read back; nil for none.
func whys(ss []string) []triage.Why {
	if len(ss) == 0 {
		return nil
	}
	out := make([]triage.Why, len(ss))
	for i, s := range ss {
		out[i] = triage.Why(s)
	}
	return out
}

package postgres

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/billtriage/billtriage/triage"
)

const (
	// recentPayloadsSQL reads each source's latest $2 records since $1,
	// oldest first, leaving out the source drift itself raises under;
	// exceptions_source_occurred_idx serves it.
	recentPayloadsSQL = `SELECT ` + exceptionColumns + ` FROM (
			SELECT x.*, row_number() OVER (PARTITION BY x.source ORDER BY x.occurred_at DESC, x.id DESC) AS rn
			FROM exceptions x WHERE x.occurred_at >= $1 AND x.source <> $3) e
		WHERE e.rn <= $2 ORDER BY e.occurred_at, e.id`
	insertDriftSQL = `INSERT INTO drift_findings (source, kind, field, before, after, examples, baseline_records,
			current_records, detected_at, detected_on, exception_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, ($9::timestamptz AT TIME ZONE 'UTC')::date, nullif($10, 0))
		ON CONFLICT (source, kind, field, detected_on) DO NOTHING RETURNING id`
	driftFindingsSQL = `SELECT id, source, kind, field, before, after, examples, baseline_records, current_records,
			detected_at, coalesce(exception_id, 0)
		FROM drift_findings WHERE detected_at >= $1 ORDER BY detected_at DESC, id DESC LIMIT $2`
)

// RecentPayloads returns up to perSource of each source's latest
// exceptions that occurred since since, oldest first, all sources but
// triage.DriftSource.
func (s *Store) RecentPayloads(ctx context.Context, since time.Time, perSource int) ([]triage.Exception, error) {
	rows, err := s.db.Pool.Query(ctx, recentPayloadsSQL, since, perSource, triage.DriftSource)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (triage.Exception, error) { return scanException(r) })
	return out, translate(err)
}

// RecordDrift stores a finding unless the same drift was recorded that
// day, and reports whether it was new.
func (s *Store) RecordDrift(ctx context.Context, f triage.DriftFinding) (triage.DriftFinding, bool, error) {
	ex, err := json.Marshal(f.Examples)
	if err != nil {
		return f, false, triage.Wrap(triage.EINTERNAL, err, "encode examples")
	}
	err = s.db.Pool.QueryRow(ctx, insertDriftSQL, f.Source, string(f.Kind), f.Field, f.Before, f.After, string(ex),
		f.Baseline, f.Current, f.DetectedAt, f.ExceptionID).Scan(&f.ID)
	if err == pgx.ErrNoRows {
		return f, false, nil
	}
	return f, err == nil, translate(err)
}

// DriftFindings returns up to limit findings detected since since, newest
// first.
func (s *Store) DriftFindings(ctx context.Context, since time.Time, limit int) ([]triage.DriftFinding, error) {
	rows, err := s.db.Pool.Query(ctx, driftFindingsSQL, since, limit)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (triage.DriftFinding, error) {
		var f triage.DriftFinding
		var ex []byte
		err := r.Scan(&f.ID, &f.Source, &f.Kind, &f.Field, &f.Before, &f.After, &ex, &f.Baseline, &f.Current, &f.DetectedAt, &f.ExceptionID)
		if err == nil {
			err = json.Unmarshal(ex, &f.Examples)
		}
		return f, err
	})
	return out, translate(err)
}

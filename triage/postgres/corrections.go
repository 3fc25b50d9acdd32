package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/billtriage/billtriage/triage"
)

const evidenceSQL = `SELECT coalesce(resolution_id, 0), field, key, from_value, to_value, type, at, by, reversed_at
	FROM corrections WHERE field = $1 AND key = $2 ORDER BY at, id`

// Evidence returns every stored correction of field for key.
func (s *Store) Evidence(ctx context.Context, field, key string) ([]triage.Evidence, error) {
	rows, err := s.db.Pool.Query(ctx, evidenceSQL, field, key)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (triage.Evidence, error) {
		var e triage.Evidence
		err := r.Scan(&e.ResolutionID, &e.Field, &e.Key, &e.From, &e.To, &e.Type, &e.At, &e.By, &e.ReversedAt)
		return e, err
	})
	return out, translate(err)
}

// similarKeysSQL searches the distinct keys (migration 00023) under their
// trigram index rather than every correction: the same keys, each once.
const similarKeysSQL = `SELECT key, similarity(key, $2) AS sim FROM correction_keys
	WHERE field = $1 AND key <> $2 AND key % $2 ORDER BY sim DESC, key LIMIT $3`

// SimilarKeys returns known keys of field most similar to key by trigrams.
func (s *Store) SimilarKeys(ctx context.Context, field, key string, limit int) ([]triage.SimilarKey, error) {
	rows, err := s.db.Pool.Query(ctx, similarKeysSQL, field, key, limit)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (triage.SimilarKey, error) {
		var k triage.SimilarKey
		var sim float32
		err := r.Scan(&k.Key, &sim)
		k.Similarity = float64(sim)
		return k, err
	})
	return out, translate(err)
}

// Revert writes ex's restored state, the reversals and the audit row.
func (s *Store) Revert(ctx context.Context, ex triage.Exception, reversals []triage.Evidence, audit triage.AuditEntry, events ...triage.Event) error {
	return translate(pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		if err := lockStatus(ctx, tx, ex.ID, triage.Status.Open); err != nil {
			return err
		}
		if err := updateException(ctx, tx, ex, audit.At); err != nil {
			return err
		}
		for _, e := range reversals {
			if err := insertEvidence(ctx, tx, e, nil, &ex.ID); err != nil {
				return err
			}
		}
		if err := appendAudit(ctx, tx, []triage.AuditEntry{audit}); err != nil {
			return err
		}
		return s.appendEvents(ctx, tx, events)
	}))
}

const insertEvidenceSQL = `INSERT INTO corrections (resolution_id, exception_id, field, key, from_value, to_value, type, at, by, reversed_at)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`

func insertEvidence(ctx context.Context, tx pgx.Tx, e triage.Evidence, resolutionID, exceptionID *int64) error {
	_, err := tx.Exec(ctx, insertEvidenceSQL,
		resolutionID, exceptionID, e.Field, e.Key, e.From, e.To, e.Type, e.At, e.By, e.ReversedAt)
	return err
}

// resolutionEvidence turns a resolution's corrections into evidence rows.
func resolutionEvidence(r triage.Resolution) []triage.Evidence {
	out := make([]triage.Evidence, len(r.Corrections))
	for i, c := range r.Corrections {
		out[i] = triage.Evidence{Correction: c, Type: r.Type, At: r.ResolvedAt, By: r.ResolvedBy}
	}
	return out
}

const fieldConsistencySQL = `WITH k AS (
		SELECT key, to_value, count(*) AS n FROM corrections WHERE field = $1 AND reversed_at IS NULL GROUP BY key, to_value),
	t AS (SELECT key, sum(n) AS total, max(n) AS top FROM k GROUP BY key HAVING sum(n) >= 2)
	SELECT coalesce(sum(top), 0)::float8, coalesce(sum(total), 0)::float8 FROM t`

// FieldConsistency measures how stable the field's mappings are.
func (s *Store) FieldConsistency(ctx context.Context, field string) (float64, float64, error) {
	var agree, total float64
	err := s.db.Pool.QueryRow(ctx, fieldConsistencySQL, field).Scan(&agree, &total)
	return agree, total, translate(err)
}

const supersessionsSQL = `SELECT c2.key, c2.to_value, min(c2.at) FROM corrections c1
	JOIN corrections c2 ON c2.field = c1.field AND c2.key = c1.key
	WHERE c1.field = $1 AND c1.to_value = $2 AND c1.reversed_at IS NULL
		AND c2.to_value <> $2 AND c2.reversed_at IS NULL AND c2.at > c1.at
	GROUP BY c2.key, c2.to_value ORDER BY 3, 1`

// Supersessions lists keys that mapped to target and later elsewhere.
func (s *Store) Supersessions(ctx context.Context, field, target string) ([]triage.Supersession, error) {
	rows, err := s.db.Pool.Query(ctx, supersessionsSQL, field, target)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (triage.Supersession, error) {
		var m triage.Supersession
		err := r.Scan(&m.Key, &m.To, &m.Since)
		return m, err
	})
	return out, translate(err)
}

// correctionKeysSQL picks the field's most recently corrected keys, then
// for each the attribute names under which the corrected exceptions (a
// reviewer's correction, or a resolved exception's) held it. Reversed
// corrections count: a wrong mapping is still a key of the field's shape.
// Imported history has no exception rows and so teaches no names.
const correctionKeysSQL = `WITH k AS (
		SELECT key, max(at) AS last FROM corrections WHERE field = $1
		GROUP BY key ORDER BY last DESC, key LIMIT $2)
	SELECT k.key, coalesce((
		SELECT array_agg(DISTINCT a.key ORDER BY a.key)
		FROM corrections c
		LEFT JOIN resolutions r ON r.id = c.resolution_id
		JOIN exceptions e ON e.id = coalesce(c.exception_id, r.exception_id)
		CROSS JOIN LATERAL jsonb_each_text(e.attributes) a
		WHERE c.field = $1 AND c.key = k.key AND a.value = k.key), '{}')
	FROM k ORDER BY k.last DESC, k.key`

// CorrectionKeys returns the field's distinct correction keys, newest first.
func (s *Store) CorrectionKeys(ctx context.Context, field string, limit int) ([]triage.CorrectionKey, error) {
	rows, err := s.db.Pool.Query(ctx, correctionKeysSQL, field, limit)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (triage.CorrectionKey, error) {
		var k triage.CorrectionKey
		err := r.Scan(&k.Key, &k.Attrs)
		return k, err
	})
	return out, translate(err)
}

package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/billtriage/billtriage/triage"
)

var _ triage.ClassifierShadowStore = (*Store)(nil)

// classifierVersionsSQL lists the stored versions without their bodies;
// the newest of each key is the one in use.
const classifierVersionsSQL = `SELECT m.version, m.type, m.embedder, m.config, m.trained_on, m.created_at,
		m.version = max(m.version) OVER (PARTITION BY m.type, m.embedder, m.config), coalesce(s.version, 0)
	FROM classifier_models m LEFT JOIN classifier_shadows s ON s.promoted_as = m.version
	ORDER BY m.type, m.version DESC`

// ClassifierVersions lists the stored classifier versions, newest first
// per type.
func (s *Store) ClassifierVersions(ctx context.Context) ([]triage.ClassifierVersion, error) {
	rows, err := s.db.Pool.Query(ctx, classifierVersionsSQL)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (triage.ClassifierVersion, error) {
		var v triage.ClassifierVersion
		err := r.Scan(&v.Version, &v.Type, &v.Embedder, &v.Config, &v.TrainedOn, &v.CreatedAt, &v.InUse, &v.PromotedFrom)
		v.CreatedAt = v.CreatedAt.UTC()
		return v, err
	})
	return out, translate(err)
}

const insertClassifierShadowSQL = `INSERT INTO classifier_shadows (version, type, active_version, reason, started_by, started_at)
	VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`

// StartClassifierShadow stores a running classifier shadow and its audit
// row; the unique index on running shadows makes a second one a conflict.
func (s *Store) StartClassifierShadow(ctx context.Context, sh triage.ClassifierShadow, audit triage.AdminAudit) (triage.ClassifierShadow, error) {
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, insertClassifierShadowSQL, sh.Version, sh.Type, sh.ActiveVersion, sh.Reason, sh.StartedBy, sh.StartedAt).Scan(&sh.ID)
		if triage.ErrorCode(translate(err)) == triage.ECONFLICT {
			return triage.Errorf(triage.ECONFLICT, "a shadow classifier is running already: promote or discard it first")
		}
		if err != nil {
			return translate(err)
		}
		audit.Detail["shadow_id"] = sh.ID
		return insertAdminAudit(ctx, tx, audit)
	})
	return sh, translate(err)
}

const classifierShadowCols = `id, type, version, active_version, reason, started_by, started_at, coalesce(ended_by, ''), ended_at,
	coalesce(outcome, ''), coalesce(promoted_as, 0)`

const (
	runningClassifierShadowSQL = `SELECT ` + classifierShadowCols + ` FROM classifier_shadows WHERE ended_at IS NULL`
	classifierShadowSQL        = `SELECT ` + classifierShadowCols + ` FROM classifier_shadows WHERE id = $1`
)

// RunningClassifierShadow returns the running classifier shadow.
func (s *Store) RunningClassifierShadow(ctx context.Context) (triage.ClassifierShadow, error) {
	sh, err := scanClassifierShadow(s.db.Pool.QueryRow(ctx, runningClassifierShadowSQL))
	if triage.ErrorCode(err) == triage.ENOTFOUND {
		return sh, triage.Errorf(triage.ENOTFOUND, "no shadow classifier is running")
	}
	return sh, err
}

// ClassifierShadow returns a classifier shadow by id.
func (s *Store) ClassifierShadow(ctx context.Context, id int64) (triage.ClassifierShadow, error) {
	sh, err := scanClassifierShadow(s.db.Pool.QueryRow(ctx, classifierShadowSQL, id))
	if triage.ErrorCode(err) == triage.ENOTFOUND {
		return sh, triage.Errorf(triage.ENOTFOUND, "no classifier shadow %d", id)
	}
	return sh, err
}

func scanClassifierShadow(row pgx.Row) (triage.ClassifierShadow, error) {
	var sh triage.ClassifierShadow
	err := row.Scan(&sh.ID, &sh.Type, &sh.Version, &sh.ActiveVersion, &sh.Reason, &sh.StartedBy, &sh.StartedAt, &sh.EndedBy, &sh.EndedAt,
		&sh.Outcome, &sh.PromotedAs)
	sh.StartedAt = sh.StartedAt.UTC()
	return sh, translate(err)
}

const endClassifierShadowSQL = `UPDATE classifier_shadows SET ended_at = $2, ended_by = $3, outcome = $4
	WHERE id = $1 AND ended_at IS NULL RETURNING version`

// promoteClassifierSQL stores the candidate again as the newest version
// of its key, so every replica's registry poll serves it. Its trained_on
// is the type's history now, so the automatic retraining is next due
// RetrainEvery resolutions from the promotion, not at once.
const promoteClassifierSQL = `INSERT INTO classifier_models (type, embedder, config, trained_on, body)
	SELECT type, embedder, config, greatest(trained_on, (SELECT count(*) FROM resolutions r WHERE r.type = m.type)), body
	FROM classifier_models m WHERE version = $1 RETURNING version`

const setPromotedAsSQL = `UPDATE classifier_shadows SET promoted_as = $2 WHERE id = $1`

// PromoteClassifierShadow ends the running shadow as promoted, stores its
// model as the newest version of its key and writes the audit row, in one
// transaction.
func (s *Store) PromoteClassifierShadow(ctx context.Context, id int64, audit triage.AdminAudit) (triage.ClassifierShadow, error) {
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		var version, promoted int64
		err := tx.QueryRow(ctx, endClassifierShadowSQL, id, audit.At, audit.Actor, triage.ShadowPromoted).Scan(&version)
		if errors.Is(err, pgx.ErrNoRows) {
			return triage.Errorf(triage.ECONFLICT, "classifier shadow %d is no longer running", id)
		}
		if err != nil {
			return translate(err)
		}
		if err := tx.QueryRow(ctx, promoteClassifierSQL, version).Scan(&promoted); err != nil {
			return translate(err)
		}
		if _, err := tx.Exec(ctx, setPromotedAsSQL, id, promoted); err != nil {
			return translate(err)
		}
		audit.Detail["promoted_as"] = promoted
		return insertAdminAudit(ctx, tx, audit)
	})
	if err != nil {
		return triage.ClassifierShadow{}, translate(err)
	}
	return s.ClassifierShadow(ctx, id)
}

// DiscardClassifierShadow ends a running classifier shadow as discarded,
// with its audit row.
func (s *Store) DiscardClassifierShadow(ctx context.Context, id int64, audit triage.AdminAudit) error {
	return translate(pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, endClassifierShadowSQL, id, audit.At, audit.Actor, triage.ShadowDiscarded)
		if err != nil {
			return translate(err)
		}
		if tag.RowsAffected() == 0 {
			return triage.Errorf(triage.ECONFLICT, "classifier shadow %d is no longer running", id)
		}
		return insertAdminAudit(ctx, tx, audit)
	}))
}

const insertClassifierPredictionSQL = `INSERT INTO classifier_shadow_predictions (shadow_id, exception_id, decision_id, type,
		active_model, active_root_cause, active_action, active_confidence, active_outcome, active_queue,
		candidate_root_cause, candidate_action, candidate_confidence, candidate_outcome, candidate_queue, decided_at)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) ON CONFLICT (shadow_id, decision_id) DO NOTHING`

// SaveClassifierShadowPrediction records the candidate's suggestion; it
// writes no other table.
func (s *Store) SaveClassifierShadowPrediction(ctx context.Context, p triage.ClassifierShadowPrediction) error {
	_, err := s.db.Pool.Exec(ctx, insertClassifierPredictionSQL, p.ShadowID, p.ExceptionID, p.DecisionID, p.Type,
		p.ActiveModel, p.ActiveRootCause, p.ActiveAction, p.ActiveConfidence, p.ActiveOutcome, p.ActiveQueue,
		p.CandidateRootCause, p.CandidateAction, p.CandidateConfidence, p.CandidateOutcome, p.CandidateQueue, p.DecidedAt)
	return translate(err)
}

// classifierPredictionsSQL reads a shadow's predictions with the latest
// resolution a person gave the item with a root cause and action (accept
// or edit); a rejection names no right answer to compare with.
const classifierPredictionsSQL = `SELECT p.shadow_id, p.exception_id, p.decision_id, p.type,
		p.active_model, p.active_root_cause, p.active_action, p.active_confidence, p.active_outcome, p.active_queue,
		p.candidate_root_cause, p.candidate_action, p.candidate_confidence, p.candidate_outcome, p.candidate_queue, p.decided_at,
		r.root_cause IS NOT NULL, coalesce(r.root_cause, ''), coalesce(r.action, '')
	FROM classifier_shadow_predictions p
	LEFT JOIN LATERAL (SELECT root_cause, action FROM resolutions
		WHERE exception_id = p.exception_id AND verdict IN ('accept', 'edit') ORDER BY id DESC LIMIT 1) r ON true
	WHERE p.shadow_id = $1 ORDER BY p.decided_at DESC, p.id DESC LIMIT $2`

// ClassifierShadowPredictions returns a shadow's newest limit predictions.
func (s *Store) ClassifierShadowPredictions(ctx context.Context, id int64, limit int) ([]triage.ClassifierShadowPrediction, error) {
	rows, err := s.db.Pool.Query(ctx, classifierPredictionsSQL, id, limit)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (triage.ClassifierShadowPrediction, error) {
		var p triage.ClassifierShadowPrediction
		err := r.Scan(&p.ShadowID, &p.ExceptionID, &p.DecisionID, &p.Type,
			&p.ActiveModel, &p.ActiveRootCause, &p.ActiveAction, &p.ActiveConfidence, &p.ActiveOutcome, &p.ActiveQueue,
			&p.CandidateRootCause, &p.CandidateAction, &p.CandidateConfidence, &p.CandidateOutcome, &p.CandidateQueue, &p.DecidedAt,
			&p.Judged, &p.RootCause, &p.Action)
		return p, err
	})
	return out, translate(err)
}

const classifierBodySQL = `SELECT type, embedder, config, body FROM classifier_models WHERE version = $1`

// ClassifierBody returns a stored classifier version's key and body.
func (s *Store) ClassifierBody(ctx context.Context, version int64) (ClassifierModel, error) {
	m := ClassifierModel{Version: version}
	err := s.db.Pool.QueryRow(ctx, classifierBodySQL, version).Scan(&m.Type, &m.Embedder, &m.Config, &m.Body)
	if triage.ErrorCode(translate(err)) == triage.ENOTFOUND {
		return m, triage.Errorf(triage.ENOTFOUND, "no classifier version %d", version)
	}
	return m, translate(err)
}

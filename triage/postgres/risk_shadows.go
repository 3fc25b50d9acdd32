package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/billtriage/billtriage/triage"
)

var _ triage.ModelShadowStore = (*Store)(nil)

const insertModelShadowSQL = `INSERT INTO risk_model_shadows (version, active_version, reason, started_by, started_at)
	VALUES ($1, $2, $3, $4, $5) RETURNING id`

// StartModelShadow stores a running risk-model shadow and its audit row;
// the unique index on running shadows makes a second one a conflict.
func (s *Store) StartModelShadow(ctx context.Context, sh triage.ModelShadow, audit triage.AdminAudit) (triage.ModelShadow, error) {
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, insertModelShadowSQL, sh.Version, sh.ActiveVersion, sh.Reason, sh.StartedBy, sh.StartedAt).Scan(&sh.ID)
		if triage.ErrorCode(translate(err)) == triage.ECONFLICT {
			return triage.Errorf(triage.ECONFLICT, "a shadow risk model is running already: promote or discard it first")
		}
		if err != nil {
			return translate(err)
		}
		audit.Detail["shadow_id"] = sh.ID
		return insertAdminAudit(ctx, tx, audit)
	})
	return sh, translate(err)
}

const modelShadowCols = `id, version, active_version, reason, started_by, started_at, coalesce(ended_by, ''), ended_at, coalesce(outcome, '')`

const (
	runningModelShadowSQL = `SELECT ` + modelShadowCols + ` FROM risk_model_shadows WHERE ended_at IS NULL`
	modelShadowSQL        = `SELECT ` + modelShadowCols + ` FROM risk_model_shadows WHERE id = $1`
)

// RunningModelShadow returns the running risk-model shadow.
func (s *Store) RunningModelShadow(ctx context.Context) (triage.ModelShadow, error) {
	sh, err := scanModelShadow(s.db.Pool.QueryRow(ctx, runningModelShadowSQL))
	if triage.ErrorCode(err) == triage.ENOTFOUND {
		return sh, triage.Errorf(triage.ENOTFOUND, "no shadow risk model is running")
	}
	return sh, err
}

// ModelShadow returns a risk-model shadow by id.
func (s *Store) ModelShadow(ctx context.Context, id int64) (triage.ModelShadow, error) {
	sh, err := scanModelShadow(s.db.Pool.QueryRow(ctx, modelShadowSQL, id))
	if triage.ErrorCode(err) == triage.ENOTFOUND {
		return sh, triage.Errorf(triage.ENOTFOUND, "no model shadow %d", id)
	}
	return sh, err
}

func scanModelShadow(row pgx.Row) (triage.ModelShadow, error) {
	var sh triage.ModelShadow
	err := row.Scan(&sh.ID, &sh.Version, &sh.ActiveVersion, &sh.Reason, &sh.StartedBy, &sh.StartedAt, &sh.EndedBy, &sh.EndedAt, &sh.Outcome)
	sh.StartedAt = sh.StartedAt.UTC()
	return sh, translate(err)
}

const endModelShadowSQL = `UPDATE risk_model_shadows SET ended_at = $2, ended_by = $3, outcome = $4
	WHERE id = $1 AND ended_at IS NULL RETURNING version`

// PromoteModelShadow ends the running shadow as promoted, makes its model
// the only active one and writes the audit row, in one transaction.
func (s *Store) PromoteModelShadow(ctx context.Context, id int64, audit triage.AdminAudit) error {
	return translate(pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		var version string
		err := tx.QueryRow(ctx, endModelShadowSQL, id, audit.At, audit.Actor, triage.ShadowPromoted).Scan(&version)
		if errors.Is(err, pgx.ErrNoRows) {
			return triage.Errorf(triage.ECONFLICT, "model shadow %d is no longer running", id)
		}
		if err != nil {
			return translate(err)
		}
		if _, err := tx.Exec(ctx, deactivateModelsSQL); err != nil {
			return translate(err)
		}
		tag, err := tx.Exec(ctx, activateModelSQL, version)
		if err != nil {
			return translate(err)
		}
		if tag.RowsAffected() == 0 {
			return triage.Errorf(triage.ENOTFOUND, "no model %s", version)
		}
		return insertAdminAudit(ctx, tx, audit)
	}))
}

// DiscardModelShadow ends a running risk-model shadow as discarded, with
// its audit row.
func (s *Store) DiscardModelShadow(ctx context.Context, id int64, audit triage.AdminAudit) error {
	return translate(pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, endModelShadowSQL, id, audit.At, audit.Actor, triage.ShadowDiscarded)
		if err != nil {
			return translate(err)
		}
		if tag.RowsAffected() == 0 {
			return triage.Errorf(triage.ECONFLICT, "model shadow %d is no longer running", id)
		}
		return insertAdminAudit(ctx, tx, audit)
	}))
}

const insertModelShadowScoreSQL = `INSERT INTO risk_shadow_scores (shadow_id, exception_id, decision_id, invoice_id, type,
		active_version, active_score, active_outcome, active_queue, candidate_version, candidate_score, candidate_outcome, candidate_queue, decided_at)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (shadow_id, decision_id) DO NOTHING`

// SaveModelShadowScore records the candidate's score; it writes no other
// table.
func (s *Store) SaveModelShadowScore(ctx context.Context, c triage.ModelShadowScore) error {
	_, err := s.db.Pool.Exec(ctx, insertModelShadowScoreSQL, c.ShadowID, c.ExceptionID, c.DecisionID, c.InvoiceID, c.Type,
		c.ActiveVersion, c.ActiveScore, c.ActiveOutcome, c.ActiveQueue, c.CandidateVersion, c.CandidateScore, c.CandidateOutcome,
		c.CandidateQueue, c.DecidedAt)
	return translate(err)
}

// modelShadowScoresSQL reads a shadow's scores with each invoice's
// outcome as the candidate model labels it: known once paid, or once
// unpaid past due plus the model's late days ($2 is the report's time),
// and late when not paid by then.
const modelShadowScoresSQL = `SELECT s.shadow_id, s.exception_id, s.decision_id, s.invoice_id, s.type,
		s.active_version, s.active_score, s.active_outcome, s.active_queue,
		s.candidate_version, s.candidate_score, s.candidate_outcome, s.candidate_queue, s.decided_at,
		coalesce(least(coalesce(i.paid_at, 'infinity'), i.due_at + make_interval(days => m.late_days)) <= $2, false),
		coalesce(i.paid_at IS NULL OR i.paid_at > i.due_at + make_interval(days => m.late_days), false)
	FROM risk_shadow_scores s
	JOIN risk_model_shadows sh ON sh.id = s.shadow_id
	JOIN risk_models m ON m.version = sh.version
	LEFT JOIN invoices i ON i.invoice_id = s.invoice_id
	WHERE s.shadow_id = $1 ORDER BY s.decided_at DESC, s.id DESC LIMIT $3`

// ModelShadowScores returns a shadow's newest limit scores.
func (s *Store) ModelShadowScores(ctx context.Context, id int64, asOf time.Time, limit int) ([]triage.ModelShadowScore, error) {
	rows, err := s.db.Pool.Query(ctx, modelShadowScoresSQL, id, asOf, limit)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (triage.ModelShadowScore, error) {
		var c triage.ModelShadowScore
		err := r.Scan(&c.ShadowID, &c.ExceptionID, &c.DecisionID, &c.InvoiceID, &c.Type,
			&c.ActiveVersion, &c.ActiveScore, &c.ActiveOutcome, &c.ActiveQueue,
			&c.CandidateVersion, &c.CandidateScore, &c.CandidateOutcome, &c.CandidateQueue, &c.DecidedAt, &c.Known, &c.Late)
		return c, err
	})
	return out, translate(err)
}

const storedModelSQL = `SELECT ` + modelColumns + `, body FROM risk_models WHERE version = $1`

// StoredModel returns a stored model with its body, active or not.
func (s *Store) StoredModel(ctx context.Context, version string) (triage.RiskModel, error) {
	rows, err := s.db.Pool.Query(ctx, storedModelSQL, version)
	if err != nil {
		return triage.RiskModel{}, translate(err)
	}
	ms, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (triage.RiskModel, error) { return scanModel(r, true) })
	if err != nil {
		return triage.RiskModel{}, translate(err)
	}
	if len(ms) == 0 {
		return triage.RiskModel{}, triage.Errorf(triage.ENOTFOUND, "no risk model %s", version)
	}
	return ms[0], nil
}

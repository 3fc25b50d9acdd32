package postgres

import (
	"bytes"
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/billtriage/billtriage/triage"
)

const insertShadowSQL = `INSERT INTO policy_shadows (version, body, preview_id, reason, started_by, started_at)
	VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`

// StartShadow stores a running shadow and its audit row; the unique index
// on running shadows makes a second one a conflict.
func (s *Store) StartShadow(ctx context.Context, sh triage.Shadow, audit triage.AdminAudit) (triage.Shadow, error) {
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, insertShadowSQL, sh.Version, string(sh.Policy.MarshalIndented()), sh.PreviewID, sh.Reason,
			sh.StartedBy, sh.StartedAt).Scan(&sh.ID)
		if triage.ErrorCode(translate(err)) == triage.ECONFLICT {
			return triage.Errorf(triage.ECONFLICT, "a shadow policy is running already: promote or discard it first")
		}
		if err != nil {
			return translate(err)
		}
		audit.Detail["shadow_id"] = sh.ID
		return insertAdminAudit(ctx, tx, audit)
	})
	return sh, translate(err)
}

const shadowCols = `id, version, body::text, preview_id, reason, started_by, started_at, coalesce(ended_by, ''), ended_at, coalesce(outcome, '')`

const (
	runningShadowSQL = `SELECT ` + shadowCols + ` FROM policy_shadows WHERE ended_at IS NULL`
	shadowSQL        = `SELECT ` + shadowCols + ` FROM policy_shadows WHERE id = $1`
)

// RunningShadow returns the running shadow.
func (s *Store) RunningShadow(ctx context.Context) (triage.Shadow, error) {
	sh, err := scanShadow(s.db.Pool.QueryRow(ctx, runningShadowSQL))
	if triage.ErrorCode(err) == triage.ENOTFOUND {
		return sh, triage.Errorf(triage.ENOTFOUND, "no shadow policy is running")
	}
	return sh, err
}

// Shadow returns a shadow by id.
func (s *Store) Shadow(ctx context.Context, id int64) (triage.Shadow, error) {
	sh, err := scanShadow(s.db.Pool.QueryRow(ctx, shadowSQL, id))
	if triage.ErrorCode(err) == triage.ENOTFOUND {
		return sh, triage.Errorf(triage.ENOTFOUND, "no shadow %d", id)
	}
	return sh, err
}

func scanShadow(row pgx.Row) (triage.Shadow, error) {
	var sh triage.Shadow
	var body []byte
	if err := row.Scan(&sh.ID, &sh.Version, &body, &sh.PreviewID, &sh.Reason, &sh.StartedBy, &sh.StartedAt,
		&sh.EndedBy, &sh.EndedAt, &sh.Outcome); err != nil {
		return sh, translate(err)
	}
	p, err := triage.ParsePolicy(bytes.NewReader(body))
	if err != nil {
		return sh, triage.Wrap(triage.EINTERNAL, err, "stored shadow %d no longer parses", sh.ID)
	}
	sh.Policy, sh.StartedAt = p, sh.StartedAt.UTC()
	return sh, nil
}

// DiscardShadow ends a running shadow as discarded, with its audit row.
func (s *Store) DiscardShadow(ctx context.Context, id int64, audit triage.AdminAudit) error {
	return translate(pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, endShadowSQL, id, audit.At, audit.Actor, triage.ShadowDiscarded)
		if err != nil {
			return translate(err)
		}
		if tag.RowsAffected() == 0 {
			return triage.Errorf(triage.ECONFLICT, "shadow %d is no longer running", id)
		}
		return insertAdminAudit(ctx, tx, audit)
	}))
}

const insertShadowDecisionSQL = `INSERT INTO shadow_decisions (shadow_id, exception_id, decision_id, type, root_cause, action, confidence,
		active_version, active_outcome, active_queue, shadow_version, shadow_outcome, shadow_queue, decided_at)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (shadow_id, decision_id) DO NOTHING`

// SaveShadowDecision records what the shadow decided; it writes no other
// table.
func (s *Store) SaveShadowDecision(ctx context.Context, d triage.ShadowDecision) error {
	_, err := s.db.Pool.Exec(ctx, insertShadowDecisionSQL, d.ShadowID, d.ExceptionID, d.DecisionID, d.Type, d.RootCause, d.Action,
		d.Confidence, d.ActiveVersion, d.ActiveOutcome, d.ActiveQueue, d.ShadowVersion, d.ShadowOutcome, d.ShadowQueue, d.DecidedAt)
	return translate(err)
}

const shadowDecisionsSQL = `SELECT s.shadow_id, s.exception_id, s.decision_id, s.type, s.root_cause, s.action, s.confidence,
		s.active_version, s.active_outcome, s.active_queue, s.shadow_version, s.shadow_outcome, s.shadow_queue, s.decided_at,
		` + judgementCols + `
	FROM shadow_decisions s JOIN exceptions e ON e.id = s.exception_id
	` + judgementJoin + `
	WHERE s.shadow_id = $1 ORDER BY s.decided_at DESC, s.id DESC`

// ShadowDecisions returns a shadow's decisions, newest first, with what
// people later said of each item.
func (s *Store) ShadowDecisions(ctx context.Context, shadowID int64) ([]triage.ShadowDecision, error) {
	rows, err := s.db.Pool.Query(ctx, shadowDecisionsSQL, shadowID)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (triage.ShadowDecision, error) {
		var d triage.ShadowDecision
		var verdict string
		err := r.Scan(&d.ShadowID, &d.ExceptionID, &d.DecisionID, &d.Type, &d.RootCause, &d.Action, &d.Confidence,
			&d.ActiveVersion, &d.ActiveOutcome, &d.ActiveQueue, &d.ShadowVersion, &d.ShadowOutcome, &d.ShadowQueue, &d.DecidedAt,
			&verdict, &d.Judgement.RootCause, &d.Judgement.Action, &d.Judgement.Reverted)
		d.Judgement.Resolved, d.Judgement.Rejected = verdict != "", verdict == string(triage.VerdictReject)
		return d, err
	})
	return out, translate(err)
}

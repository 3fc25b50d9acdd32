package postgres

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5"

	"github.com/billtriage/billtriage/triage"
)

// paramHistorySQL reads an action's latest resolutions for parameter
// learning; resolutions_action_idx serves it. Rejections state no
// parameters of the action and are left out.
const paramHistorySQL = `SELECT text, coalesce(facts, '{}'), coalesce(params, '{}')
	FROM resolutions WHERE action = $1 AND verdict <> 'reject'
	ORDER BY resolved_at DESC, id DESC LIMIT $2`

// ParamHistory returns up to limit of the action's most recent
// resolutions with their case's facts (empty for rows stored before facts
// were kept), newest first.
func (s *Store) ParamHistory(ctx context.Context, action string, limit int) ([]triage.ParamExample, error) {
	rows, err := s.db.Pool.Query(ctx, paramHistorySQL, action, limit)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (triage.ParamExample, error) {
		var ex triage.ParamExample
		var facts, params []byte
		if err := r.Scan(&ex.Text, &facts, &params); err != nil {
			return ex, err
		}
		if err := json.Unmarshal(facts, &ex.Facts); err != nil {
			return ex, err
		}
		return ex, unmarshalMap(params, &ex.Params)
	})
	return out, translate(err)
}

// marshalFacts encodes a resolution's facts; nil stays NULL.
func marshalFacts(f *triage.Facts) (any, error) {
	if f == nil {
		return nil, nil
	}
	b, err := json.Marshal(f)
	if err != nil {
		return nil, triage.Wrap(triage.EINVALID, err, "the case's attributes are not JSON-encodable")
	}
	return string(b), nil
}

// causeHistorySQL reads a type's latest resolutions for cause-word
// learning. Rejections record no cause of their own and are left out.
const causeHistorySQL = `SELECT CASE WHEN match_text <> '' THEN match_text ELSE text END, root_cause
	FROM resolutions WHERE type = $1 AND verdict <> 'reject'
	ORDER BY resolved_at DESC, id DESC LIMIT $2`

// CauseHistory returns up to limit of the type's most recent resolutions
// as matched text and root cause, newest first.
func (s *Store) CauseHistory(ctx context.Context, t triage.Type, limit int) ([]triage.CauseExample, error) {
	rows, err := s.db.Pool.Query(ctx, causeHistorySQL, string(t), limit)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (triage.CauseExample, error) {
		var ex triage.CauseExample
		err := r.Scan(&ex.Text, &ex.RootCause)
		return ex, err
	})
	return out, translate(err)
}

// knownActionsSQL walks resolutions_action_idx one action at a time (a
// loose index scan) rather than reading every resolution.
const knownActionsSQL = `WITH RECURSIVE a AS (
		(SELECT action FROM resolutions ORDER BY action LIMIT 1)
		UNION ALL
		SELECT (SELECT r.action FROM resolutions r WHERE r.action > a.action ORDER BY r.action LIMIT 1) FROM a WHERE a.action IS NOT NULL)
	SELECT action FROM a WHERE action IS NOT NULL AND action <> ''`

// KnownActions implements triage.WarmSource.
func (s *Store) KnownActions(ctx context.Context) ([]string, error) {
	rows, err := s.db.Pool.Query(ctx, knownActionsSQL)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return out, translate(err)
}

// CorrectionFields implements triage.WarmSource from correction_keys.
func (s *Store) CorrectionFields(ctx context.Context) ([]string, error) {
	rows, err := s.db.Pool.Query(ctx, `SELECT DISTINCT field FROM correction_keys ORDER BY field`)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return out, translate(err)
}

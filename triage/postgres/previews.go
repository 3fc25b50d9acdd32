package postgres

import (
	"bytes"
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/billtriage/billtriage/triage"
)

const insertPreviewSQL = `INSERT INTO policy_previews (version, active_version, body, since, window_from, window_to, created_by, created_at, result)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`

// SavePreview stores a preview as it was shown.
func (s *Store) SavePreview(ctx context.Context, pv triage.Preview) (triage.Preview, error) {
	res, err := json.Marshal(pv.Result)
	if err != nil {
		return pv, triage.Wrap(triage.EINTERNAL, err, "encode preview")
	}
	err = s.db.Pool.QueryRow(ctx, insertPreviewSQL, pv.Version, pv.ActiveVersion, string(pv.Policy.MarshalIndented()),
		pv.Since, pv.From, pv.To, pv.CreatedBy, pv.CreatedAt, res).Scan(&pv.ID)
	return pv, translate(err)
}

const previewSQL = `SELECT id, version, active_version, body::text, since, window_from, window_to, created_by, created_at, result
	FROM policy_previews WHERE id = $1`

// Preview returns a stored preview.
func (s *Store) Preview(ctx context.Context, id int64) (triage.Preview, error) {
	var pv triage.Preview
	var body, res []byte
	err := s.db.Pool.QueryRow(ctx, previewSQL, id).Scan(&pv.ID, &pv.Version, &pv.ActiveVersion, &body, &pv.Since,
		&pv.From, &pv.To, &pv.CreatedBy, &pv.CreatedAt, &res)
	if triage.ErrorCode(translate(err)) == triage.ENOTFOUND {
		return pv, triage.Errorf(triage.ENOTFOUND, "no preview %d", id)
	}
	if err != nil {
		return pv, translate(err)
	}
	if pv.Policy, err = triage.ParsePolicy(bytes.NewReader(body)); err != nil {
		return pv, triage.Wrap(triage.EINTERNAL, err, "stored preview %d no longer parses", id)
	}
	pv.From, pv.To, pv.CreatedAt = pv.From.UTC(), pv.To.UTC(), pv.CreatedAt.UTC()
	if err := json.Unmarshal(res, &pv.Result); err != nil {
		return pv, triage.Wrap(triage.EINTERNAL, err, "decode stored preview %d", id)
	}
	return pv, nil
}

// judgementCols are what people later said of item e: its latest human
// resolution (verdict, root cause, action) and whether its automatic
// enrichment was reverted. judgementJoin supplies r.
const (
	judgementCols = `coalesce(r.verdict, ''), coalesce(r.root_cause, ''), coalesce(r.action, ''),
	EXISTS (SELECT 1 FROM audit_log a WHERE a.exception_id = e.id AND a.action = 'reverted')`
	judgementJoin = `LEFT JOIN LATERAL (SELECT verdict, root_cause, action FROM resolutions
		WHERE exception_id = e.id AND verdict IN ('accept', 'edit', 'reject') ORDER BY id DESC LIMIT 1) r ON true`
)

const replayItemsSQL = `SELECT e.id, e.source, coalesce(e.external_id, ''), e.type, e.amount::float8, e.currency,
		d.id, d.suggestion, d.outcome, coalesce(d.assigned_queue, ''), d.policy_version, d.risk, d.holds, d.holds IS NULL, d.why, d.decided_at,
		` + judgementCols + `
	FROM decisions d JOIN exceptions e ON e.id = d.exception_id
	` + judgementJoin + `
	WHERE d.decided_at >= $1 ORDER BY d.decided_at, d.id LIMIT $2`

// ReplayItems returns the decisions made since from with their
// judgements, oldest first. Precedents and reasons are not read: a replay
// needs only what the policy decides from.
func (s *Store) ReplayItems(ctx context.Context, from time.Time, limit int) ([]triage.ReplayItem, error) {
	rows, err := s.db.Pool.Query(ctx, replayItemsSQL, from, limit)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (triage.ReplayItem, error) {
		var it triage.ReplayItem
		ex, d := &it.Exception, &it.Decision
		var sug, risk []byte
		var holds, why []string
		var verdict string
		var noHolds bool
		if err := r.Scan(&ex.ID, &ex.Source, &ex.ExternalID, &ex.Type, &ex.Amount, &ex.Currency,
			&d.ID, &sug, &d.Outcome, &d.AssignedQueue, &d.PolicyVersion, &risk, &holds, &noHolds, &why, &d.DecidedAt,
			&verdict, &it.Judgement.RootCause, &it.Judgement.Action, &it.Judgement.Reverted); err != nil {
			return it, err
		}
		d.ExceptionID, d.Holds, d.Why = ex.ID, recordedHolds(holds, noHolds), whys(why)
		it.Judgement.Resolved, it.Judgement.Rejected = verdict != "", verdict == string(triage.VerdictReject)
		return it, decodeReplay(sug, risk, d)
	})
	return out, translate(err)
}

// decodeReplay reads a stored decision's suggestion and risk.
func decodeReplay(sug, risk []byte, d *triage.Decision) error {
	if err := json.Unmarshal(sug, &d.Suggestion); err != nil {
		return triage.Wrap(triage.EINTERNAL, err, "decode stored suggestion")
	}
	if len(risk) > 0 {
		d.Risk = new(triage.Risk)
		if err := json.Unmarshal(risk, d.Risk); err != nil {
			return triage.Wrap(triage.EINTERNAL, err, "decode stored risk")
		}
	}
	return nil
}

// recordedHolds is a decision's holds as read back: nil when the decision
// predates their recording, else a (possibly empty) list, so a replay can
// tell "none" from "not recorded".
func recordedHolds(holds []string, null bool) []string {
	if null {
		return nil
	}
	if holds == nil {
		return []string{}
	}
	return holds
}

package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/billtriage/billtriage/triage"
)

const alertColumns = `id, type, kind, state, week, value, threshold, samples, message, raised_at, updated_at,
    coalesce(acknowledged_by, ''), acknowledged_at, coalesce(resolved_by, ''), resolved_at`

func scanAlert(r pgx.Row) (triage.Alert, error) {
	var a triage.Alert
	err := r.Scan(&a.ID, &a.Type, &a.Kind, &a.State, &a.Week, &a.Value, &a.Threshold, &a.Samples, &a.Message,
		&a.RaisedAt, &a.UpdatedAt, &a.AcknowledgedBy, &a.AcknowledgedAt, &a.ResolvedBy, &a.ResolvedAt)
	return a, err
}

const (
	// alertsSQL lists alerts in state $1, or the active ones when $1 is ''.
	alertsSQL = `SELECT ` + alertColumns + ` FROM alerts
        WHERE CASE WHEN $1 = '' THEN state <> 'resolved' ELSE state = $1 END ORDER BY id DESC LIMIT $2`
	alertSQL       = `SELECT ` + alertColumns + ` FROM alerts WHERE id = $1`
	lockAlertSQL   = `SELECT ` + alertColumns + ` FROM alerts WHERE id = $1 FOR UPDATE`
	insertAlertSQL = `INSERT INTO alerts (type, kind, state, week, value, threshold, samples, message, raised_at, updated_at)
        VALUES ($1, $2, 'open', $3, $4, $5, $6, $7, $8, $9) RETURNING ` + alertColumns
	updateAlertSQL = `UPDATE alerts SET week = $2, value = $3, threshold = $4, samples = $5, message = $6, updated_at = $7
        WHERE id = $1 AND state <> 'resolved'`
	acknowledgeAlertSQL = `UPDATE alerts SET state = 'acknowledged', acknowledged_by = $2, acknowledged_at = $3, updated_at = $3
        WHERE id = $1 RETURNING ` + alertColumns
	resolveAlertSQL = `UPDATE alerts SET state = 'resolved', resolved_by = $2, resolved_at = $3, updated_at = $3
        WHERE id = $1 RETURNING ` + alertColumns
	insertAlertLogSQL = `INSERT INTO alert_log (alert_id, type, action, actor, at, detail) VALUES ($1, $2, $3, $4, $5, $6)`
	alertLogSQL       = `SELECT id, coalesce(alert_id, 0), type, action, actor, at, detail FROM alert_log
        WHERE alert_id = $1 ORDER BY id`
)

// Alerts implements triage.AlarmStore.
func (s *Store) Alerts(ctx context.Context, state triage.AlertState, limit int) ([]triage.Alert, error) {
	rows, err := s.db.Pool.Query(ctx, alertsSQL, string(state), limit)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (triage.Alert, error) { return scanAlert(r) })
	return out, translate(err)
}

// Alert implements triage.AlarmStore.
func (s *Store) Alert(ctx context.Context, id int64) (triage.Alert, []triage.AlertLogEntry, error) {
	a, err := scanAlert(s.db.Pool.QueryRow(ctx, alertSQL, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return a, nil, triage.Errorf(triage.ENOTFOUND, "alert %d not found", id)
	}
	if err != nil {
		return a, nil, translate(err)
	}
	rows, err := s.db.Pool.Query(ctx, alertLogSQL, id)
	if err != nil {
		return a, nil, translate(err)
	}
	log, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (triage.AlertLogEntry, error) {
		var e triage.AlertLogEntry
		var detail []byte
		if err := r.Scan(&e.ID, &e.AlertID, &e.Type, &e.Action, &e.Actor, &e.At, &detail); err != nil {
			return e, err
		}
		return e, unmarshalMap(detail, &e.Detail)
	})
	return a, log, translate(err)
}

// logAlert appends a row to the alerts' log in tx.
func logAlert(ctx context.Context, tx pgx.Tx, alertID int64, t triage.Type, action, actor string, at time.Time, detail map[string]any) error {
	body, err := json.Marshal(detail)
	if err != nil {
		return triage.Wrap(triage.EINTERNAL, err, "encode alert log detail")
	}
	var id *int64
	if alertID != 0 {
		id = &alertID
	}
	_, err = tx.Exec(ctx, insertAlertLogSQL, id, t, action, actor, at, body)
	return translate(err)
}

// RaiseAlert implements triage.AlarmStore: the alert, its log row and its
// event commit together.
func (s *Store) RaiseAlert(ctx context.Context, a triage.Alert, ev triage.Event) (triage.Alert, error) {
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		var err error
		a, err = s.insertAlert(ctx, tx, a, ev)
		return err
	})
	return a, translate(err)
}

// insertAlert stores a as open, logs it and records its event (with the
// stored id) in tx.
func (s *Store) insertAlert(ctx context.Context, tx pgx.Tx, a triage.Alert, ev triage.Event) (triage.Alert, error) {
	stored, err := scanAlert(tx.QueryRow(ctx, insertAlertSQL, a.Type, a.Kind, a.Week, a.Value, a.Threshold, a.Samples,
		a.Message, a.RaisedAt, a.UpdatedAt))
	if err != nil {
		return a, translate(err) // the unique index: ECONFLICT
	}
	if err := logAlert(ctx, tx, stored.ID, a.Type, triage.AlertRaised, triage.SystemActor, a.RaisedAt,
		map[string]any{"kind": a.Kind, "week": a.Week, "value": a.Value, "threshold": a.Threshold, "message": a.Message}); err != nil {
		return a, err
	}
	ev.Data.Alert = &stored
	return stored, s.appendEvents(ctx, tx, []triage.Event{ev})
}

// UpdateAlert implements triage.AlarmStore.
func (s *Store) UpdateAlert(ctx context.Context, a triage.Alert) error {
	_, err := s.db.Pool.Exec(ctx, updateAlertSQL, a.ID, a.Week, a.Value, a.Threshold, a.Samples, a.Message, a.UpdatedAt)
	return translate(err)
}

// ChangeAlert implements triage.AlarmStore.
func (s *Store) ChangeAlert(ctx context.Context, id int64, to triage.AlertState, actor string, at time.Time) (triage.Alert, error) {
	var out triage.Alert
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		a, err := scanAlert(tx.QueryRow(ctx, lockAlertSQL, id))
		if errors.Is(err, pgx.ErrNoRows) {
			return triage.Errorf(triage.ENOTFOUND, "alert %d not found", id)
		}
		if err != nil {
			return err
		}
		out, err = changeAlert(ctx, tx, a, to, actor, at)
		return err
	})
	return out, translate(err)
}

// changeAlert moves the locked alert a to state to and logs it.
func changeAlert(ctx context.Context, tx pgx.Tx, a triage.Alert, to triage.AlertState, actor string, at time.Time) (triage.Alert, error) {
	if !a.State.Active() || a.State == to {
		return a, triage.Errorf(triage.ECONFLICT, "alert %d is %s already", a.ID, a.State)
	}
	q, action := acknowledgeAlertSQL, triage.AlertAcknowledge
	if to == triage.AlertResolved {
		q, action = resolveAlertSQL, triage.AlertResolve
	}
	out, err := scanAlert(tx.QueryRow(ctx, q, a.ID, actor, at))
	if err != nil {
		return a, err
	}
	return out, logAlert(ctx, tx, a.ID, a.Type, action, actor, at, map[string]any{"from": a.State, "kind": a.Kind})
}

const (
	pauseColumns = `type, paused, reason, precision, floor, last, coalesce(alert_id, 0), paused_at,
        coalesce(resumed_by, ''), resumed_at`
	pausesSQL      = `SELECT ` + pauseColumns + ` FROM automation_pauses ORDER BY type`
	lockPauseSQL   = `SELECT ` + pauseColumns + ` FROM automation_pauses WHERE type = $1 FOR UPDATE`
	upsertPauseSQL = `INSERT INTO automation_pauses (type, paused, reason, precision, floor, last, alert_id, paused_at)
        VALUES ($1, true, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (type) DO UPDATE SET paused = true, reason = excluded.reason, precision = excluded.precision,
            floor = excluded.floor, last = excluded.last, alert_id = excluded.alert_id, paused_at = excluded.paused_at
        WHERE NOT automation_pauses.paused
        RETURNING ` + pauseColumns
	resumeSQL = `UPDATE automation_pauses SET paused = false, resumed_by = $2, resumed_at = $3
        WHERE type = $1 RETURNING ` + pauseColumns
)

func scanPause(r pgx.Row) (triage.Pause, error) {
	var p triage.Pause
	err := r.Scan(&p.Type, &p.Paused, &p.Reason, &p.Precision, &p.Floor, &p.Last, &p.AlertID, &p.PausedAt, &p.ResumedBy, &p.ResumedAt)
	return p, err
}

// Pauses implements triage.AlarmStore.
func (s *Store) Pauses(ctx context.Context) ([]triage.Pause, error) {
	rows, err := s.db.Pool.Query(ctx, pausesSQL)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (triage.Pause, error) { return scanPause(r) })
	return out, translate(err)
}

// PauseAutomation implements triage.AlarmStore: the pause, its alert, the
// log rows and the alert's event commit together.
func (s *Store) PauseAutomation(ctx context.Context, p triage.Pause, a triage.Alert, ev triage.Event) (triage.Pause, triage.Alert, error) {
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		var err error
		if a, err = s.insertAlert(ctx, tx, a, ev); err != nil {
			return err
		}
		stored, err := scanPause(tx.QueryRow(ctx, upsertPauseSQL, p.Type, p.Reason, p.Precision, p.Floor, p.Last, a.ID, p.PausedAt))
		if errors.Is(err, pgx.ErrNoRows) {
			return triage.Errorf(triage.ECONFLICT, "automation of %s is paused already", p.Type)
		}
		if err != nil {
			return err
		}
		p = stored
		return logAlert(ctx, tx, a.ID, p.Type, triage.AutomationPaused, triage.SystemActor, p.PausedAt,
			map[string]any{"reason": p.Reason, "precision": p.Precision, "floor": p.Floor, "last": p.Last})
	})
	return p, a, translate(err)
}

// ResumeAutomation implements triage.AlarmStore.
func (s *Store) ResumeAutomation(ctx context.Context, t triage.Type, actor string, at time.Time) (triage.Pause, error) {
	var out triage.Pause
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		p, err := scanPause(tx.QueryRow(ctx, lockPauseSQL, t))
		if errors.Is(err, pgx.ErrNoRows) || (err == nil && !p.Paused) {
			return triage.Errorf(triage.ECONFLICT, "automation of %s is not paused", t)
		}
		if err != nil {
			return err
		}
		if out, err = scanPause(tx.QueryRow(ctx, resumeSQL, t, actor, at)); err != nil {
			return err
		}
		if p.AlertID != 0 {
			a, err := scanAlert(tx.QueryRow(ctx, lockAlertSQL, p.AlertID))
			if err != nil {
				return err
			}
			if a.State.Active() {
				if _, err := changeAlert(ctx, tx, a, triage.AlertResolved, actor, at); err != nil {
					return err
				}
			}
		}
		return logAlert(ctx, tx, p.AlertID, t, triage.AutomationResumed, actor, at,
			map[string]any{"reason": p.Reason, "paused_at": p.PausedAt})
	})
	return out, translate(err)
}

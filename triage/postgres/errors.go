package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/puddle/v2"

	"github.com/billtriage/billtriage/triage"
)

// translate turns database errors into triage errors at the boundary, so
// callers branch on codes and never see driver types.
func translate(err error) error {
	if err == nil {
		return nil
	}
	var pgErr *pgconn.PgError
	var domain *triage.Error
	switch {
	case errors.As(err, &domain):
		return err // already translated, e.g. inside a transaction func
	case errors.Is(err, pgx.ErrNoRows):
		return triage.Wrap(triage.ENOTFOUND, err, "not found")
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return triage.Wrap(triage.EUNAVAILABLE, err, "request cancelled or timed out")
	case errors.Is(err, puddle.ErrClosedPool):
		return triage.Wrap(triage.EUNAVAILABLE, err, "the service is shutting down")
	case isConnect(err):
		// Whatever the server said while refusing the connection (too
		// many clients, not accepting connections, starting up), the
		// database is unavailable, not the request wrong.
		return triage.Wrap(triage.EUNAVAILABLE, err, "database unavailable")
	case errors.As(err, &pgErr):
		return translatePg(pgErr)
	case pgconn.SafeToRetry(err) || pgconn.Timeout(err):
		return triage.Wrap(triage.EUNAVAILABLE, err, "database unavailable")
	}
	return triage.Wrap(triage.EINTERNAL, err, "database error")
}

func isConnect(err error) bool {
	var ce *pgconn.ConnectError
	return errors.As(err, &ce)
}

func translatePg(e *pgconn.PgError) error {
	switch e.Code[:2] {
	case "23": // integrity constraint violation
		if e.Code == "23505" {
			return triage.Wrap(triage.ECONFLICT, e, "already exists")
		}
		return triage.Wrap(triage.EINVALID, e, "violates a constraint")
	case "22": // data exception
		return triage.Wrap(triage.EINVALID, e, "invalid value")
	case "08", "53", "57": // connection, resources, operator intervention
		return triage.Wrap(triage.EUNAVAILABLE, e, "database unavailable")
	case "55": // object not in prerequisite state: e.g. connections not accepted
		if e.Code == "55000" || e.Code == "55006" {
			return triage.Wrap(triage.EUNAVAILABLE, e, "database unavailable")
		}
	case "BT": // the lifecycle trigger (migration 00013)
		return triage.Wrap(triage.ECONFLICT, e, "the exception's status cannot move that way")
	case "42":
		if e.Code == "42501" {
			return triage.Wrap(triage.EFORBIDDEN, e, "not permitted")
		}
	}
	return triage.Wrap(triage.EINTERNAL, e, "database error")
}

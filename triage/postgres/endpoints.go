package postgres

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5"

	"github.com/billtriage/billtriage/triage"
)

const (
	insertEndpointSQL = `INSERT INTO webhook_endpoints (url, events, secrets) VALUES ($1, $2, $3)
		RETURNING id, url, events, secrets, created_at`
	endpointColumns   = `id, url, events, secrets, created_at`
	endpointsSQL      = `SELECT ` + endpointColumns + ` FROM webhook_endpoints WHERE deleted_at IS NULL ORDER BY id`
	endpointSQL       = `SELECT ` + endpointColumns + ` FROM webhook_endpoints WHERE id = $1 AND deleted_at IS NULL`
	deleteEndpointSQL = `UPDATE webhook_endpoints SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL`
	// rotateSQL puts a new secret first and keeps the previous one, so
	// receivers can switch without missing an event: a delivery is signed
	// with both until the next rotation.
	rotateSQL = `UPDATE webhook_endpoints SET secrets = ARRAY[$2::text, secrets[1]] WHERE id = $1 AND deleted_at IS NULL
		RETURNING ` + endpointColumns
	eventSQL = `SELECT payload FROM events WHERE id = $1`
)

func scanEndpoint(r pgx.Row) (triage.Endpoint, error) {
	var ep triage.Endpoint
	var events []string
	err := r.Scan(&ep.ID, &ep.URL, &events, &ep.Secrets, &ep.CreatedAt)
	for _, e := range events {
		ep.Events = append(ep.Events, triage.EventType(e))
	}
	return ep, translate(err)
}

// CreateEndpoint stores a new endpoint with its first secret.
func (s *Store) CreateEndpoint(ctx context.Context, ep triage.Endpoint) (triage.Endpoint, error) {
	events := make([]string, len(ep.Events))
	for i, e := range ep.Events {
		events[i] = string(e)
	}
	return scanEndpoint(s.db.Pool.QueryRow(ctx, insertEndpointSQL, ep.URL, events, ep.Secrets))
}

// Endpoints lists the endpoints in use.
func (s *Store) Endpoints(ctx context.Context) ([]triage.Endpoint, error) {
	rows, err := s.db.Pool.Query(ctx, endpointsSQL)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (triage.Endpoint, error) { return scanEndpoint(r) })
	return out, translate(err)
}

// Endpoint returns endpoint id, ENOTFOUND once deleted.
func (s *Store) Endpoint(ctx context.Context, id int64) (triage.Endpoint, error) {
	return scanEndpoint(s.db.Pool.QueryRow(ctx, endpointSQL, id))
}

// DeleteEndpoint retires endpoint id: nothing more is delivered to it.
func (s *Store) DeleteEndpoint(ctx context.Context, id int64) error {
	tag, err := s.db.Pool.Exec(ctx, deleteEndpointSQL, id)
	if err == nil && tag.RowsAffected() == 0 {
		return triage.Errorf(triage.ENOTFOUND, "endpoint %d not found", id)
	}
	return translate(err)
}

// RotateSecret makes secret the endpoint's newest, keeping the previous.
func (s *Store) RotateSecret(ctx context.Context, id int64, secret string) (triage.Endpoint, error) {
	return scanEndpoint(s.db.Pool.QueryRow(ctx, rotateSQL, id, secret))
}

// Event returns a recorded event by its id.
func (s *Store) Event(ctx context.Context, id string) (triage.Event, error) {
	var body []byte
	if err := s.db.Pool.QueryRow(ctx, eventSQL, id).Scan(&body); err != nil {
		return triage.Event{}, translate(err)
	}
	var ev triage.Event
	if err := json.Unmarshal(body, &ev); err != nil {
		return ev, triage.Wrap(triage.EINTERNAL, err, "decode event %s", id)
	}
	ev.ID = id
	return ev, nil
}

package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/billtriage/billtriage/triage"
)

var _ triage.ViewStore = (*Store)(nil)

const (
	savedViewsSQL = `SELECT id, queue, name, query, created_at FROM saved_views
		WHERE key_id = $1 AND queue = $2 ORDER BY lower(name), id`
	// saveViewSQL upserts by (key, queue, name). The WHERE lets a new name
	// in only while the key keeps fewer than $5 views; a replacement is
	// always let in. No row back means the limit was met.
	saveViewSQL = `INSERT INTO saved_views (key_id, queue, name, query)
		SELECT $1, $2, $3, $4
		WHERE (SELECT count(*) FROM saved_views WHERE key_id = $1) < $5
			OR EXISTS (SELECT 1 FROM saved_views WHERE key_id = $1 AND queue = $2 AND name = $3)
		ON CONFLICT (key_id, queue, name) DO UPDATE SET query = EXCLUDED.query
		RETURNING id, created_at`
	deleteViewSQL = `DELETE FROM saved_views WHERE key_id = $1 AND id = $2`
)

// SavedViews lists key's views of queue q by name.
func (s *Store) SavedViews(ctx context.Context, keyID int64, q triage.Queue) ([]triage.SavedView, error) {
	rows, err := s.db.Pool.Query(ctx, savedViewsSQL, keyID, string(q))
	if err != nil {
		return nil, translate(err)
	}
	vs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (triage.SavedView, error) {
		var v triage.SavedView
		err := r.Scan(&v.ID, &v.Queue, &v.Name, &v.Query, &v.CreatedAt)
		return v, err
	})
	return vs, translate(err)
}

// SaveView stores v for key, replacing key's view of the same queue and
// name.
func (s *Store) SaveView(ctx context.Context, keyID int64, v triage.SavedView) (triage.SavedView, error) {
	err := s.db.Pool.QueryRow(ctx, saveViewSQL, keyID, string(v.Queue), v.Name, v.Query, triage.MaxSavedViews).
		Scan(&v.ID, &v.CreatedAt)
	if err == pgx.ErrNoRows {
		return v, triage.Errorf(triage.ECONFLICT, "you keep %d saved views already; delete one first", triage.MaxSavedViews)
	}
	return v, translate(err)
}

// DeleteView removes key's view id.
func (s *Store) DeleteView(ctx context.Context, keyID, id int64) error {
	tag, err := s.db.Pool.Exec(ctx, deleteViewSQL, keyID, id)
	if err != nil {
		return translate(err)
	}
	if tag.RowsAffected() == 0 {
		return triage.Errorf(triage.ENOTFOUND, "saved view %d not found", id)
	}
	return nil
}

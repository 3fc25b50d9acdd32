package postgres

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5"

	"github.com/billtriage/billtriage/triage"
)

var _ triage.ModelStore = (*Store)(nil)

const insertModelSQL = `INSERT INTO risk_models (version, family, feature_hash, features, late_days, trained_from, trained_to, metrics, body)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (version) DO NOTHING`

// SaveModel stores a trained model (inactive).
func (s *Store) SaveModel(ctx context.Context, m triage.RiskModel) error {
	feats, _ := json.Marshal(m.Features)
	metrics, err := json.Marshal(m.Metrics)
	if err != nil {
		return triage.Wrap(triage.EINVALID, err, "model metrics")
	}
	_, err = s.db.Pool.Exec(ctx, insertModelSQL,
		m.Version, m.Family, m.FeatureHash, feats, m.LateDays, m.TrainedFrom, m.TrainedTo, metrics, m.Body)
	return translate(err)
}

const modelColumns = `version, family, feature_hash, features, late_days, trained_from, trained_to, metrics, created_at, active`

func scanModel(r pgx.CollectableRow, withBody bool) (triage.RiskModel, error) {
	var m triage.RiskModel
	var feats, metrics []byte
	dest := []any{&m.Version, &m.Family, &m.FeatureHash, &feats, &m.LateDays, &m.TrainedFrom, &m.TrainedTo, &metrics, &m.CreatedAt, &m.Active}
	if withBody {
		dest = append(dest, &m.Body)
	}
	if err := r.Scan(dest...); err != nil {
		return m, err
	}
	if err := json.Unmarshal(feats, &m.Features); err != nil {
		return m, err
	}
	return m, json.Unmarshal(metrics, &m.Metrics)
}

const listModelsSQL = `SELECT ` + modelColumns + ` FROM risk_models ORDER BY created_at DESC, version`

// ListModels returns the registry without model bodies, newest first.
func (s *Store) ListModels(ctx context.Context) ([]triage.RiskModel, error) {
	rows, err := s.db.Pool.Query(ctx, listModelsSQL)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (triage.RiskModel, error) { return scanModel(r, false) })
	return out, translate(err)
}

const deactivateModelsSQL = `UPDATE risk_models SET active = false WHERE active`

const activateModelSQL = `UPDATE risk_models SET active = true WHERE version = $1`

// ActivateModel makes version the only active model.
func (s *Store) ActivateModel(ctx context.Context, version string) error {
	return translate(pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, deactivateModelsSQL); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, activateModelSQL, version)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return triage.Errorf(triage.ENOTFOUND, "no model %s", version)
		}
		return nil
	}))
}

const activeModelSQL = `SELECT ` + modelColumns + `, body FROM risk_models WHERE active`

// ActiveModel returns the active model with its body.
func (s *Store) ActiveModel(ctx context.Context) (triage.RiskModel, error) {
	rows, err := s.db.Pool.Query(ctx, activeModelSQL)
	if err != nil {
		return triage.RiskModel{}, translate(err)
	}
	ms, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (triage.RiskModel, error) { return scanModel(r, true) })
	if err != nil {
		return triage.RiskModel{}, translate(err)
	}
	if len(ms) == 0 {
		return triage.RiskModel{}, triage.Errorf(triage.ENOTFOUND, "no active risk model; train one with `billtriage train`")
	}
	return ms[0], nil
}

const activeModelVersionSQL = `SELECT coalesce(max(version), '') FROM risk_models WHERE active`

// ActiveModelVersion returns the active model's version, "" if none.
func (s *Store) ActiveModelVersion(ctx context.Context) (string, error) {
	var v string
	err := s.db.Pool.QueryRow(ctx, activeModelVersionSQL).Scan(&v)
	return v, translate(err)
}

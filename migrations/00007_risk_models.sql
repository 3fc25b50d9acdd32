-- +goose Up
CREATE TABLE risk_models (
    version      text PRIMARY KEY,
    family       text NOT NULL,
    feature_hash text NOT NULL,
    features     jsonb NOT NULL,
    late_days    integer NOT NULL,
    trained_from timestamptz NOT NULL,
    trained_to   timestamptz NOT NULL,
    metrics      jsonb NOT NULL,
    body         bytea NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    active       boolean NOT NULL DEFAULT false
);
-- At most one active model.
CREATE UNIQUE INDEX risk_models_one_active ON risk_models (active) WHERE active;

-- +goose Down
DROP TABLE risk_models;

-- Trained text classifiers, so that every replica serves the same model
-- and a restart loads it instead of training from scratch. A retraining
-- adds a row; a row is never changed, so the newest version of a type,
-- embedder and config is the model in force.
-- +goose Up
CREATE TABLE classifier_models (
    version    bigserial PRIMARY KEY, -- increases with every model stored, whatever its type
    type       text NOT NULL,
    embedder   text NOT NULL,         -- whose vectors fed the dense channel; '' for none
    config     text NOT NULL,         -- fingerprint of the training settings
    trained_on bigint NOT NULL,       -- resolutions of the type in the history it was trained on
    body       bytea NOT NULL,        -- classify.Model.MarshalBinary
    created_at timestamptz NOT NULL DEFAULT now()
);
-- Replicas poll for the newest version of each type every few seconds.
CREATE INDEX classifier_models_latest_idx ON classifier_models (type, embedder, config, version DESC);
-- ... and count a type's resolutions to know whether a retraining is due
-- (the (embedder, type) index does not serve a count by type alone).
CREATE INDEX resolutions_type_idx ON resolutions (type);

-- +goose Down
DROP INDEX resolutions_type_idx;
DROP TABLE classifier_models;

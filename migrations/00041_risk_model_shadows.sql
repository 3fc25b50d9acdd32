-- Shadow mode for the risk model (issue 19): a stored, non-active model
-- scores beside the active one on live traffic; its scores are recorded
-- here and never acted on.
-- +goose Up
CREATE TABLE risk_model_shadows (
    id             bigserial PRIMARY KEY,
    version        text NOT NULL REFERENCES risk_models (version),
    active_version text NOT NULL DEFAULT '',
    reason         text NOT NULL DEFAULT '',
    started_by     text NOT NULL,
    started_at     timestamptz NOT NULL,
    ended_by       text,
    ended_at       timestamptz,
    -- promoted or discarded; NULL while it runs.
    outcome        text,
    CHECK ((ended_at IS NULL) = (outcome IS NULL))
);
-- At most one risk-model shadow runs at a time.
CREATE UNIQUE INDEX risk_model_shadows_one_open ON risk_model_shadows ((true)) WHERE ended_at IS NULL;

CREATE TABLE risk_shadow_scores (
    id                bigserial PRIMARY KEY,
    shadow_id         bigint NOT NULL REFERENCES risk_model_shadows (id),
    exception_id      bigint NOT NULL REFERENCES exceptions (id),
    decision_id       bigint NOT NULL REFERENCES decisions (id),
    invoice_id        text NOT NULL,
    type              text NOT NULL,
    active_version    text NOT NULL,
    active_score      double precision NOT NULL,
    active_outcome    text NOT NULL,
    active_queue      text NOT NULL,
    candidate_version text NOT NULL,
    candidate_score   double precision NOT NULL,
    candidate_outcome text NOT NULL,
    candidate_queue   text NOT NULL,
    decided_at        timestamptz NOT NULL,
    UNIQUE (shadow_id, decision_id)
);

-- +goose Down
DROP TABLE risk_shadow_scores;
DROP TABLE risk_model_shadows;

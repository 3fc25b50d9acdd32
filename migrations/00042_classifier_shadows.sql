-- Shadow mode for the text classifier (issue 19): a stored classifier
-- version that is not the one in use predicts beside it on live traffic;
-- its suggestions are recorded here and never acted on.
-- +goose Up
CREATE TABLE classifier_shadows (
    id             bigserial PRIMARY KEY,
    version        bigint NOT NULL REFERENCES classifier_models (version),
    type           text NOT NULL,
    active_version bigint NOT NULL,
    reason         text NOT NULL DEFAULT '',
    started_by     text NOT NULL,
    started_at     timestamptz NOT NULL,
    ended_by       text,
    ended_at       timestamptz,
    -- promoted or discarded; NULL while it runs.
    outcome        text,
    -- the classifier_models row a promotion stored the candidate as.
    promoted_as    bigint REFERENCES classifier_models (version),
    CHECK ((ended_at IS NULL) = (outcome IS NULL))
);
-- At most one classifier shadow runs at a time.
CREATE UNIQUE INDEX classifier_shadows_one_open ON classifier_shadows ((true)) WHERE ended_at IS NULL;

CREATE TABLE classifier_shadow_predictions (
    id                   bigserial PRIMARY KEY,
    shadow_id            bigint NOT NULL REFERENCES classifier_shadows (id),
    exception_id         bigint NOT NULL REFERENCES exceptions (id),
    decision_id          bigint NOT NULL REFERENCES decisions (id),
    type                 text NOT NULL,
    active_model         text NOT NULL,
    active_root_cause    text NOT NULL,
    active_action        text NOT NULL,
    active_confidence    double precision NOT NULL,
    active_outcome       text NOT NULL,
    active_queue         text NOT NULL,
    candidate_root_cause text NOT NULL,
    candidate_action     text NOT NULL,
    candidate_confidence double precision NOT NULL,
    candidate_outcome    text NOT NULL,
    candidate_queue      text NOT NULL,
    decided_at           timestamptz NOT NULL,
    UNIQUE (shadow_id, decision_id)
);

-- +goose Down
DROP TABLE classifier_shadow_predictions;
DROP TABLE classifier_shadows;

-- Shadow mode (issue 19): a candidate policy decides beside the active one
-- on live traffic; its decisions are recorded here and never acted on.
-- +goose Up
CREATE TABLE policy_shadows (
    id         bigserial PRIMARY KEY,
    version    text NOT NULL,
    body       jsonb NOT NULL,
    preview_id bigint NOT NULL REFERENCES policy_previews (id),
    reason     text NOT NULL DEFAULT '',
    started_by text NOT NULL,
    started_at timestamptz NOT NULL,
    ended_by   text,
    ended_at   timestamptz,
    -- promoted or discarded; NULL while it runs.
    outcome    text,
    CHECK ((ended_at IS NULL) = (outcome IS NULL))
);
-- At most one shadow runs at a time.
CREATE UNIQUE INDEX policy_shadows_one_open ON policy_shadows ((true)) WHERE ended_at IS NULL;

CREATE TABLE shadow_decisions (
    id             bigserial PRIMARY KEY,
    shadow_id      bigint NOT NULL REFERENCES policy_shadows (id),
    exception_id   bigint NOT NULL REFERENCES exceptions (id),
    decision_id    bigint NOT NULL REFERENCES decisions (id),
    type           text NOT NULL,
    root_cause     text NOT NULL,
    action         text NOT NULL,
    confidence     double precision NOT NULL,
    active_version text NOT NULL,
    active_outcome text NOT NULL,
    active_queue   text NOT NULL,
    shadow_version text NOT NULL,
    shadow_outcome text NOT NULL,
    shadow_queue   text NOT NULL,
    decided_at     timestamptz NOT NULL,
    UNIQUE (shadow_id, decision_id)
);

ALTER TABLE policies ADD CONSTRAINT policies_shadow_fk FOREIGN KEY (shadow_id) REFERENCES policy_shadows (id);
ALTER TABLE policies ADD CONSTRAINT policies_preview_fk FOREIGN KEY (preview_id) REFERENCES policy_previews (id);

-- +goose Down
ALTER TABLE policies DROP CONSTRAINT policies_preview_fk;
ALTER TABLE policies DROP CONSTRAINT policies_shadow_fk;
DROP TABLE shadow_decisions;
DROP TABLE policy_shadows;

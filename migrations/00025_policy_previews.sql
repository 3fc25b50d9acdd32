-- What-if previews (issue 19): a candidate policy replayed on a window of
-- stored decisions. Activation needs a fresh preview of exactly the
-- candidate (by version hash); the result is kept as it was shown.
-- +goose Up
CREATE TABLE policy_previews (
    id             bigserial PRIMARY KEY,
    version        text NOT NULL,
    active_version text NOT NULL,
    body           jsonb NOT NULL,
    since          text NOT NULL,
    window_from    timestamptz NOT NULL,
    window_to      timestamptz NOT NULL,
    created_by     text NOT NULL,
    created_at     timestamptz NOT NULL,
    result         jsonb NOT NULL
);
CREATE INDEX policy_previews_version_idx ON policy_previews (version, created_at DESC);

-- +goose Down
DROP TABLE policy_previews;

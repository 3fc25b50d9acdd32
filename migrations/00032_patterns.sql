-- Recurring patterns (issue 18): each periodic run's patterns, their
-- members and spikes, and the vectors of open exceptions the runs embed.
-- Runs are derived data, recomputed from the history: the service's role
-- deletes runs older than the last few (triage/postgres appPrivileges).
-- +goose Up
CREATE TABLE pattern_runs (
    id        bigserial PRIMARY KEY,
    at        timestamptz NOT NULL,
    from_at   timestamptz NOT NULL,
    items     integer NOT NULL,
    patterns  integer NOT NULL,
    spikes    jsonb NOT NULL DEFAULT '[]',
    dims      jsonb NOT NULL DEFAULT '[]'
);

CREATE TABLE patterns (
    run_id     bigint NOT NULL REFERENCES pattern_runs (id) ON DELETE CASCADE,
    id         text NOT NULL,
    type       text NOT NULL,
    root_cause text NOT NULL,
    action     text NOT NULL DEFAULT '',
    size       integer NOT NULL,
    open       integer NOT NULL,
    first_at   timestamptz NOT NULL,
    last_at    timestamptz NOT NULL,
    daily      integer[] NOT NULL,
    breakdown  jsonb NOT NULL DEFAULT '[]',
    spike      jsonb,
    PRIMARY KEY (run_id, id)
);

-- A member is an exception, or a resolution of imported history that has
-- no exception row.
CREATE TABLE pattern_members (
    run_id        bigint NOT NULL,
    pattern_id    text NOT NULL,
    exception_id  bigint,
    resolution_id bigint,
    FOREIGN KEY (run_id, pattern_id) REFERENCES patterns (run_id, id) ON DELETE CASCADE,
    CHECK (exception_id IS NOT NULL OR resolution_id IS NOT NULL)
);
CREATE INDEX pattern_members_pattern_idx ON pattern_members (run_id, pattern_id);

-- Open exceptions have no resolution to hold their vector; a run embeds
-- each once per embedder and keeps it here.
CREATE TABLE pattern_vectors (
    exception_id bigint NOT NULL REFERENCES exceptions (id),
    embedder     text NOT NULL,
    embedding    vector NOT NULL,
    PRIMARY KEY (exception_id, embedder)
);

-- Runs read the window's history and open items by time.
CREATE INDEX resolutions_occurred_idx ON resolutions (occurred_at);
CREATE INDEX exceptions_occurred_open_idx ON exceptions (occurred_at) WHERE status IN ('triaged', 'queued', 'auto_enriched');

-- +goose Down
DROP INDEX exceptions_occurred_open_idx;
DROP INDEX resolutions_occurred_idx;
DROP TABLE pattern_vectors;
DROP TABLE pattern_members;
DROP TABLE patterns;
DROP TABLE pattern_runs;

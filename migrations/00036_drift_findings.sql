-- Schema drift found in what a source sends (issue 18): one row per
-- drift, with the exception it raised for the integration owners. The
-- periodic job writes; people read. A drift is recorded once a day at
-- most (the job may run twice when a replica dies mid-run).
-- +goose Up
CREATE TABLE drift_findings (
    id               bigserial PRIMARY KEY,
    source           text NOT NULL,
    kind             text NOT NULL,
    field            text NOT NULL,
    before           text NOT NULL,
    after            text NOT NULL,
    examples         jsonb NOT NULL DEFAULT '[]',
    baseline_records integer NOT NULL,
    current_records  integer NOT NULL,
    detected_at      timestamptz NOT NULL,
    detected_on      date NOT NULL,
    exception_id     bigint REFERENCES exceptions (id),
    UNIQUE (source, kind, field, detected_on)
);
CREATE INDEX drift_findings_detected_idx ON drift_findings (detected_at DESC);
-- The job reads each source's latest records.
CREATE INDEX exceptions_source_occurred_idx ON exceptions (source, occurred_at DESC);

-- +goose Down
DROP INDEX exceptions_source_occurred_idx;
DROP TABLE drift_findings;

-- Drift alarms, their alerts and the automatic brake (issue 19).
--
-- drift_measures keeps each alarm's measure per ISO week and type, as the
-- periodic drift check last computed it; alerts holds the breaches (at
-- most one active per type and kind); automation_pauses the brake's state
-- per type, shared by every replica; alert_log is the append-only record
-- of who raised, acknowledged, resolved, paused or resumed what.
-- +goose Up
CREATE TABLE drift_measures (
    week        date NOT NULL, -- the Monday that starts the ISO week
    type        text NOT NULL,
    kind        text NOT NULL,
    value       double precision NOT NULL,
    threshold   double precision NOT NULL,
    samples     integer NOT NULL,
    known       boolean NOT NULL,
    breach      boolean NOT NULL,
    detail      text NOT NULL DEFAULT '',
    measured_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (week, type, kind)
);

CREATE TABLE alerts (
    id              bigserial PRIMARY KEY,
    type            text NOT NULL,
    kind            text NOT NULL,
    state           text NOT NULL CHECK (state IN ('open', 'acknowledged', 'resolved')),
    week            text NOT NULL,
    value           double precision NOT NULL,
    threshold       double precision NOT NULL,
    samples         integer NOT NULL,
    message         text NOT NULL,
    raised_at       timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    acknowledged_by text,
    acknowledged_at timestamptz,
    resolved_by     text,
    resolved_at     timestamptz
);
-- One active alert per type and kind: two replicas' checks cannot both
-- raise it.
CREATE UNIQUE INDEX alerts_active_uniq ON alerts (type, kind) WHERE state <> 'resolved';
CREATE INDEX alerts_state_idx ON alerts (state, id DESC);

CREATE TABLE automation_pauses (
    type       text PRIMARY KEY,
    paused     boolean NOT NULL,
    reason     text NOT NULL,
    precision  double precision NOT NULL,
    floor      double precision NOT NULL,
    last       integer NOT NULL,
    alert_id   bigint REFERENCES alerts (id),
    paused_at  timestamptz NOT NULL,
    resumed_by text,
    resumed_at timestamptz
);

CREATE TABLE alert_log (
    id       bigserial PRIMARY KEY,
    alert_id bigint REFERENCES alerts (id),
    type     text NOT NULL,
    action   text NOT NULL,
    actor    text NOT NULL,
    at       timestamptz NOT NULL,
    detail   jsonb
);
CREATE INDEX alert_log_alert_idx ON alert_log (alert_id, id);
CREATE TRIGGER alert_log_append_only BEFORE UPDATE OR DELETE ON alert_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER alert_log_no_truncate BEFORE TRUNCATE ON alert_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- An alert's event (alert.raised) concerns no exception.
ALTER TABLE events ALTER COLUMN exception_id DROP NOT NULL;

-- The realised precision reads a type's automated decisions newest first
-- (decisions_auto_idx, migration 00021), and whether each was reverted.
CREATE INDEX audit_log_reverted_idx ON audit_log (exception_id) WHERE action = 'reverted';
CREATE INDEX postings_invoice_idx ON postings (invoice_id, at) WHERE status = 'failed';
-- The verdict on a decision is its exception's resolution (found through
-- resolutions_exception_idx, migration 00024); the calibration finds an
-- invoice's exceptions.
CREATE INDEX exceptions_invoice_idx ON exceptions (invoice_id) WHERE invoice_id <> '';

-- +goose Down
DROP INDEX exceptions_invoice_idx;
DROP INDEX postings_invoice_idx;
DROP INDEX audit_log_reverted_idx;
-- events.exception_id stays nullable: events are append-only, so an
-- alert's event cannot be deleted to make it NOT NULL again.
DROP TABLE alert_log;
DROP TABLE automation_pauses;
DROP TABLE alerts;
DROP TABLE drift_measures;

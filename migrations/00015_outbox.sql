-- The transactional outbox: each change to an exception records its event
-- in the change's own transaction (River's job to deliver it is inserted
-- in the same transaction), and the endpoints events are delivered to.
-- +goose Up
CREATE TABLE events (
    id           text PRIMARY KEY, -- the idempotency key receivers see as webhook-id
    type         text NOT NULL,
    exception_id bigint NOT NULL REFERENCES exceptions (id),
    at           timestamptz NOT NULL,
    payload      jsonb NOT NULL
);
CREATE INDEX events_exception_idx ON events (exception_id, at);
-- What was said downstream is history: append-only, like the audit log,
-- whose trigger function now names the table it guards.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

CREATE TABLE webhook_endpoints (
    id         bigserial PRIMARY KEY,
    url        text NOT NULL,
    events     text[] NOT NULL DEFAULT '{}', -- empty: every type
    secrets    text[] NOT NULL,              -- newest first; two during a rotation
    created_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz
);

-- +goose Down
DROP TABLE webhook_endpoints;
DROP TABLE events;

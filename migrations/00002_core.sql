-- +goose Up
CREATE TABLE exceptions (
    id          bigserial PRIMARY KEY,
    source      text NOT NULL DEFAULT '',
    external_id text,
    type        text NOT NULL,
    occurred_at timestamptz NOT NULL,
    text        text NOT NULL,
    customer_id text NOT NULL DEFAULT '',
    invoice_id  text NOT NULL DEFAULT '',
    amount      numeric(20, 4),
    currency    text NOT NULL DEFAULT '',
    region      text NOT NULL DEFAULT '',
    attributes  jsonb NOT NULL DEFAULT '{}',
    status      text NOT NULL,
    queue       text,
    sort_key    double precision NOT NULL DEFAULT 0,
    enrichment  jsonb,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    -- Idempotency: a client resending the same record gets the stored one.
    UNIQUE (source, external_id)
);
-- A queue page reads queued items of one queue in sort-key order.
CREATE INDEX exceptions_queue_idx ON exceptions (queue, sort_key DESC, id DESC) WHERE status = 'queued';
CREATE INDEX exceptions_customer_idx ON exceptions (customer_id);

CREATE TABLE decisions (
    id             bigserial PRIMARY KEY,
    exception_id   bigint NOT NULL REFERENCES exceptions (id),
    suggestion     jsonb NOT NULL,
    -- The precedents as they were at decision time: the explanation must
    -- not change when the history grows.
    neighbors      jsonb NOT NULL,
    outcome        text NOT NULL,
    assigned_queue text,
    priority       double precision NOT NULL,
    reasons        jsonb NOT NULL,
    policy_version text NOT NULL,
    model_version  text NOT NULL,
    embedder       text NOT NULL,
    decided_at     timestamptz NOT NULL
);
CREATE INDEX decisions_exception_idx ON decisions (exception_id, id DESC);

CREATE TABLE resolutions (
    id           bigserial PRIMARY KEY,
    exception_id bigint REFERENCES exceptions (id),
    external_id  text NOT NULL DEFAULT '',
    type         text NOT NULL,
    text         text NOT NULL,
    root_cause   text NOT NULL,
    action       text NOT NULL,
    params       jsonb,
    queue        text NOT NULL DEFAULT '',
    verdict      text NOT NULL,
    resolved_by  text NOT NULL DEFAULT '',
    note         text NOT NULL DEFAULT '',
    occurred_at  timestamptz NOT NULL,
    resolved_at  timestamptz NOT NULL,
    -- Vectors of different embedders are never compared; the HNSW index
    -- is partial per embedder and casts to its dimension (see
    -- triage/postgres EnsureIndex).
    embedder     text NOT NULL,
    embedding    vector NOT NULL
);
CREATE INDEX resolutions_embedder_type_idx ON resolutions (embedder, type);

CREATE TABLE audit_log (
    id           bigserial PRIMARY KEY,
    exception_id bigint NOT NULL REFERENCES exceptions (id),
    at           timestamptz NOT NULL,
    actor        text NOT NULL,
    action       text NOT NULL,
    detail       jsonb
);
CREATE INDEX audit_log_exception_idx ON audit_log (exception_id, id);

-- +goose StatementBegin
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- +goose Down
DROP TABLE audit_log;
DROP FUNCTION audit_log_append_only();
DROP TABLE resolutions;
DROP TABLE decisions;
DROP TABLE exceptions;

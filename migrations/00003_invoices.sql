-- +goose Up
CREATE TABLE invoices (
    invoice_id  text PRIMARY KEY,
    customer_id text NOT NULL,
    issued_at   timestamptz NOT NULL,
    due_at      timestamptz NOT NULL,
    amount      numeric(20, 4) NOT NULL,
    currency    text NOT NULL,
    paid_at     timestamptz,
    disputed    boolean NOT NULL DEFAULT false,
    region      text NOT NULL DEFAULT '',
    extra       jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX invoices_customer_idx ON invoices (customer_id, issued_at);

-- Loading the same history file twice must not duplicate precedents.
CREATE UNIQUE INDEX resolutions_imported_uniq ON resolutions (external_id)
    WHERE verdict = 'imported' AND external_id <> '';

-- +goose Down
DROP INDEX resolutions_imported_uniq;
DROP TABLE invoices;

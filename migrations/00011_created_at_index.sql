-- KPIs and queue counts filter exceptions by when they were received.
-- +goose Up
CREATE INDEX exceptions_created_at_idx ON exceptions (created_at);

-- +goose Down
DROP INDEX exceptions_created_at_idx;

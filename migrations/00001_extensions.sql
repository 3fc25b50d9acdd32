-- Extensions live in the public schema so that every schema of the
-- database (the service's, and the isolated ones tests and eval create)
-- shares one installation.
-- +goose Up
CREATE EXTENSION IF NOT EXISTS vector WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

-- +goose Down
-- Other schemas may use the extensions: leave them installed.
SELECT 1;

-- +goose Up
ALTER TABLE decisions ADD COLUMN risk jsonb;

-- +goose Down
ALTER TABLE decisions DROP COLUMN risk;

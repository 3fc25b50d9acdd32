-- The text that was embedded: the exception's text with its attributes,
-- email quoting and signatures stripped. Re-embedding uses it.
-- +goose Up
ALTER TABLE resolutions ADD COLUMN match_text text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE resolutions DROP COLUMN match_text;

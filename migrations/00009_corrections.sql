-- Field corrections people made, the evidence enrichment learns from.
-- +goose Up
CREATE TABLE corrections (
    id            bigserial PRIMARY KEY,
    resolution_id bigint REFERENCES resolutions (id),
    exception_id  bigint REFERENCES exceptions (id),
    field         text NOT NULL,
    key           text NOT NULL,
    from_value    text NOT NULL DEFAULT '',
    to_value      text NOT NULL,
    type          text NOT NULL,
    at            timestamptz NOT NULL,
    by            text NOT NULL DEFAULT '',
    -- Set when the correction was found wrong; a reversal made through
    -- the API is stored as a row with at = reversed_at.
    reversed_at   timestamptz,
    note          text NOT NULL DEFAULT ''
);
CREATE INDEX corrections_lookup_idx ON corrections (field, key);
-- Unseen identifiers are matched to known ones by trigram similarity.
CREATE INDEX corrections_key_trgm_idx ON corrections USING gin (key public.gin_trgm_ops);

ALTER TABLE decisions ADD COLUMN enrichments jsonb;

-- +goose Down
ALTER TABLE decisions DROP COLUMN enrichments;
DROP TABLE corrections;

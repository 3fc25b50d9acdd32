-- Reads of every triage made cheap at a large history (issue 16).
--
-- The distinct keys of each corrected field, for the look-alike search of
-- an unseen identifier (SimilarKeys, issue 16). Searching corrections
-- itself meant matching every one of a field's corrections (most keys
-- recur) by trigram similarity: ~11 ms at a 100k history, growing with
-- it. Here each key is one row under a trigram index, so the search reads
-- only keys that share trigrams with the one looked for.
-- +goose Up
CREATE TABLE correction_keys (
    field text NOT NULL,
    key   text NOT NULL,
    PRIMARY KEY (field, key)
);
-- GiST rather than GIN: with GIN the planner judged a scan of the table
-- cheaper and computed the similarity of every key (25 ms); GiST it uses.
CREATE INDEX correction_keys_trgm_idx ON correction_keys USING gist (key public.gist_trgm_ops);
INSERT INTO correction_keys SELECT DISTINCT field, key FROM corrections;

-- Kept by the database, not by each statement that writes corrections (the
-- API's, the bulk load's COPY): once per statement, from its new rows.
-- Corrections are never deleted (a reversal is a new row), so neither
-- are keys. The owner's function writes the table, so the service's role
-- needs only to read it.
-- +goose StatementBegin
CREATE FUNCTION correction_keys_add() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO correction_keys (field, key)
        SELECT DISTINCT field, key FROM new_corrections
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION correction_keys_add() FROM PUBLIC;
CREATE TRIGGER corrections_keys_add AFTER INSERT ON corrections
    REFERENCING NEW TABLE AS new_corrections
    FOR EACH STATEMENT EXECUTE FUNCTION correction_keys_add();

-- A type's latest resolutions, which the cause words are learned from
-- (CauseHistory, 3,000 rows): by type alone every resolution of the type
-- was read and sorted, 25k rows and 340 ms at a 100k history, whenever a
-- type's cached words expire.
CREATE INDEX resolutions_type_recent_idx ON resolutions (type, resolved_at DESC, id DESC);

-- The keys that mapped to a target (Supersessions, on each exact match's
-- best target): by field alone it filtered all of the field's corrections,
-- 6.4 ms at a 100k history; by field and target, 0.1 ms.
CREATE INDEX corrections_target_idx ON corrections (field, to_value);

-- +goose Down
DROP INDEX corrections_target_idx;
DROP INDEX resolutions_type_recent_idx;
DROP TRIGGER corrections_keys_add ON corrections;
DROP FUNCTION correction_keys_add();
DROP TABLE correction_keys;

-- The service's role owns no table, and PostgreSQL 15 lets only a table's
-- owner ANALYZE it (the MAINTAIN privilege arrives in 17): run as that role,
-- ANALYZE warns and skips. A bulk load needs fresh statistics for the
-- planner to choose between the HNSW index and an exact scan, so the owner
-- lends exactly that statement through a SECURITY DEFINER function. Its
-- search path is fixed when it is created, to the schema being migrated.
-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION analyze_resolutions() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    ANALYZE resolutions;
END;
$$;
-- +goose StatementEnd
-- Functions are executable by PUBLIC by default; only the roles granted
-- it in triage/postgres/roles.go may call this one.
REVOKE ALL ON FUNCTION analyze_resolutions() FROM PUBLIC;

-- +goose Down
DROP FUNCTION analyze_resolutions();

-- The workbench (issue 17): who works an item, and the comments on it.
-- +goose Up

-- The person an item is claimed by or assigned to; NULL while nobody has
-- it. A name, not a key id: a person may sign in with several keys.
ALTER TABLE exceptions ADD COLUMN assignee text;
CREATE INDEX exceptions_assignee_idx ON exceptions (assignee) WHERE assignee IS NOT NULL;

-- Comments are history like the audit log: the service's role may only
-- append and read them (triage/postgres appPrivileges), and triggers
-- refuse UPDATE, DELETE and TRUNCATE even to the owner's statements.
CREATE TABLE comments (
    id           bigserial PRIMARY KEY,
    exception_id bigint NOT NULL REFERENCES exceptions (id),
    at           timestamptz NOT NULL,
    author       text NOT NULL,
    body         text NOT NULL
);
CREATE INDEX comments_exception_idx ON comments (exception_id, at, id);

-- +goose StatementBegin
CREATE FUNCTION comments_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'comments are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER comments_no_update_delete BEFORE UPDATE OR DELETE ON comments
    FOR EACH ROW EXECUTE FUNCTION comments_append_only();
CREATE TRIGGER comments_no_truncate BEFORE TRUNCATE ON comments
    FOR EACH STATEMENT EXECUTE FUNCTION comments_append_only();

-- The auto-enriched view reads automatic decisions newest first.
CREATE INDEX decisions_auto_idx ON decisions (decided_at DESC, id DESC) WHERE outcome = 'auto';

-- +goose Down
DROP INDEX decisions_auto_idx;
DROP TABLE comments;
DROP FUNCTION comments_append_only();
DROP INDEX exceptions_assignee_idx;
ALTER TABLE exceptions DROP COLUMN assignee;

-- Governed policy change (issue 19): every policy put in force is a version
-- with its author, time, reason and what kind of change made it; admin
-- actions that are about no one exception get an append-only log of their
-- own; decisions keep their holds so the policy can be replayed on them.
-- +goose Up

-- A version is a row; the newest row is in force. A rollback or a
-- promotion appends a row too, so history is never rewritten.
ALTER TABLE policies ADD COLUMN reason text NOT NULL DEFAULT '';
-- activate (PUT /v1/policy), rollback, promote (from shadow), file (--policy at start).
ALTER TABLE policies ADD COLUMN change text NOT NULL DEFAULT 'file';
-- Rows from before: the file's are named file:PATH, the rest an admin put.
UPDATE policies SET change = 'activate' WHERE created_by NOT LIKE 'file:%';
ALTER TABLE policies ADD COLUMN preview_id bigint;
ALTER TABLE policies ADD COLUMN restored_from bigint REFERENCES policies (id);
ALTER TABLE policies ADD COLUMN shadow_id bigint;

-- Admin actions on the policy and its shadow, append-only like audit_log
-- (whose trigger function it shares).
CREATE TABLE admin_audit (
    id      bigserial PRIMARY KEY,
    at      timestamptz NOT NULL,
    actor   text NOT NULL,
    action  text NOT NULL,
    subject text NOT NULL DEFAULT '',
    detail  jsonb
);
CREATE INDEX admin_audit_subject_idx ON admin_audit (subject, id);
CREATE TRIGGER admin_audit_no_update_delete BEFORE UPDATE OR DELETE ON admin_audit
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER admin_audit_no_truncate BEFORE TRUNCATE ON admin_audit
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- The holds the policy saw (enrichment, parameters, agreement), so that a
-- preview replays a candidate policy on exactly what the decision saw.
-- NULL on decisions made before this migration.
ALTER TABLE decisions ADD COLUMN holds text[];
-- A preview reads the decisions of a window, oldest first.
CREATE INDEX decisions_decided_idx ON decisions (decided_at, id);
-- ... and finds each item's human resolution.
CREATE INDEX resolutions_exception_idx ON resolutions (exception_id, id) WHERE exception_id IS NOT NULL;

-- +goose Down
DROP INDEX resolutions_exception_idx;
DROP INDEX decisions_decided_idx;
ALTER TABLE decisions DROP COLUMN holds;
DROP TABLE admin_audit;
ALTER TABLE policies DROP COLUMN shadow_id;
ALTER TABLE policies DROP COLUMN restored_from;
ALTER TABLE policies DROP COLUMN preview_id;
ALTER TABLE policies DROP COLUMN change;
ALTER TABLE policies DROP COLUMN reason;

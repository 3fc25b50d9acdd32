-- Integrity the database enforces, whatever the callers do: one decision
-- per exception, statuses that only move forward, and what a client sent,
-- to tell a retry from a different record under the same (source, id).
-- +goose Up

-- Decisions recorded twice by the races this migration closes were never
-- valid: the first one stands (its audit rows stay, the log is append-only).
DELETE FROM decisions d USING decisions k WHERE d.exception_id = k.exception_id AND d.id > k.id;
CREATE UNIQUE INDEX decisions_one_per_exception ON decisions (exception_id);
DROP INDEX decisions_exception_idx;

ALTER TABLE exceptions ADD COLUMN content_hash text;

-- The lifecycle: received → triaged → auto_enriched | queued → resolved |
-- rejected, plus reassignment (queued → queued, auto_enriched → queued)
-- and the revert of an enrichment (auto_enriched → queued). A closed item
-- changes no more.
-- +goose StatementBegin
CREATE FUNCTION exceptions_status_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status IN ('resolved', 'rejected') THEN
        RAISE EXCEPTION 'exception % is % and cannot change', OLD.id, OLD.status USING ERRCODE = 'BT001';
    END IF;
    IF NEW.status = OLD.status
        OR (OLD.status = 'received' AND NEW.status IN ('triaged', 'auto_enriched', 'queued'))
        OR (OLD.status = 'triaged' AND NEW.status IN ('auto_enriched', 'queued'))
        OR (OLD.status IN ('auto_enriched', 'queued') AND NEW.status IN ('queued', 'resolved', 'rejected')) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'exception % cannot move from % to %', OLD.id, OLD.status, NEW.status USING ERRCODE = 'BT001';
END
$$;
-- +goose StatementEnd
CREATE TRIGGER exceptions_status_forward BEFORE UPDATE ON exceptions
    FOR EACH ROW EXECUTE FUNCTION exceptions_status_forward();

-- The sweeper looks for rows a crash or an outage left before triage.
CREATE INDEX exceptions_received_idx ON exceptions (updated_at) WHERE status = 'received';

-- +goose Down
DROP INDEX exceptions_received_idx;
DROP TRIGGER exceptions_status_forward ON exceptions;
DROP FUNCTION exceptions_status_forward();
ALTER TABLE exceptions DROP COLUMN content_hash;
DROP INDEX decisions_one_per_exception;
CREATE INDEX decisions_exception_idx ON decisions (exception_id, id DESC);

-- The case's fields and attributes beside each resolution, so where an
-- action's parameters come from can be learned from the history (issue
-- 14), and an index for reading an action's latest resolutions.
-- +goose Up
ALTER TABLE resolutions ADD COLUMN facts jsonb;
CREATE INDEX resolutions_action_idx ON resolutions (action, resolved_at DESC, id DESC);

-- +goose Down
DROP INDEX resolutions_action_idx;
ALTER TABLE resolutions DROP COLUMN facts;

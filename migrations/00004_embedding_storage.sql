-- Keep vectors inline in the row instead of TOASTed out of line: a
-- 512-dimension vector is just over the 2 kB TOAST threshold, and
-- fetching it from the TOAST table row by row made an exact, filtered
-- neighbour search ten times slower. Applies to rows written from now on.
-- +goose Up
ALTER TABLE resolutions ALTER COLUMN embedding SET STORAGE PLAIN;

-- +goose Down
ALTER TABLE resolutions ALTER COLUMN embedding SET STORAGE EXTERNAL;

-- KPI snapshots: the dashboard's figures over the last day, taken
-- periodically by one replica, so trends survive the events they summarise.
-- +goose Up
CREATE TABLE kpi_snapshots (
    id       bigserial PRIMARY KEY,
    taken_at timestamptz NOT NULL DEFAULT now(),
    stats    jsonb NOT NULL
);

-- +goose Down
DROP TABLE kpi_snapshots;

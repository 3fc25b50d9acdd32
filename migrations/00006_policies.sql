-- +goose Up
CREATE TABLE policies (
    id         bigserial PRIMARY KEY,
    version    text NOT NULL,
    body       jsonb NOT NULL,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE policies;

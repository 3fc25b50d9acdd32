-- +goose Up
CREATE TABLE api_keys (
    id           bigserial PRIMARY KEY,
    name         text NOT NULL,
    role         text NOT NULL,
    -- The first characters of the key, to recognise it in lists.
    prefix       text NOT NULL,
    -- SHA-256 of the secret. Keys are 256-bit random, so a plain hash
    -- (no salt, no slow KDF) cannot be brute-forced, and lookup stays an
    -- index probe.
    secret_hash  bytea NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz,
    last_used_at timestamptz
);

CREATE TABLE sessions (
    token_hash bytea PRIMARY KEY,
    key_id     bigint NOT NULL REFERENCES api_keys (id),
    csrf       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);

-- +goose Down
DROP TABLE sessions;
DROP TABLE api_keys;

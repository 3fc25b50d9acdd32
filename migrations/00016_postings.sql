-- The outcome of every ERP posting the integration reports, by posting id:
-- the failed share of postings on the dashboard comes from here, not from
-- counting exceptions (a success raises none). One row per posting holds
-- its latest outcome, so a posting that failed and then went through
-- counts once, as posted.
-- +goose Up
CREATE TABLE postings (
    posting_id   text PRIMARY KEY,
    invoice_id   text NOT NULL,
    status       text NOT NULL CHECK (status IN ('posted', 'failed')),
    erp          text NOT NULL DEFAULT '',
    -- The erp_posting_failure exception a failure raised; kept when a
    -- later success replaces the failure, since it was raised.
    exception_id bigint REFERENCES exceptions (id),
    at           timestamptz NOT NULL, -- when the ERP answered
    recorded_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX postings_at_idx ON postings (at);

-- +goose Down
DROP TABLE postings;

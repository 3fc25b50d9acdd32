-- Dispute emails are linked to customers by the sender's domain.
-- +goose Up
CREATE INDEX exceptions_sender_domain_idx ON exceptions ((attributes->>'sender_domain')) WHERE attributes ? 'sender_domain';

-- +goose Down
DROP INDEX exceptions_sender_domain_idx;

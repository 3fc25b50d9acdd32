-- The queue workbench (issue 17): why each item is queued, searchable
-- queues, and saved views.
-- +goose Up

-- The tags of the checks that held an item (triage.Why), most telling
-- first, recorded with each decision so the queue can filter and sort on
-- them. NULL for an automatic decision.
ALTER TABLE decisions ADD COLUMN why text[];

-- Decisions recorded before the tags existed carry only their reasons in
-- words: derive the tags once from the sentences triage/decide.go, the
-- enrichment and the parameter checks wrote up to this migration. New
-- decisions store the tags the checks themselves name, never parsed.
UPDATE decisions d SET why = coalesce((
    SELECT array_agg(t.tag ORDER BY array_position(ARRAY['money-moving', 'amount limit', 'risk', 'not automatable',
        'parameter missing', 'enrichment held', 'no precedent', 'weak precedent', 'vague text', 'below threshold'], t.tag))
    FROM (SELECT DISTINCT CASE
            WHEN r LIKE 'action % moves money and always needs a person' THEN 'money-moving'
            WHEN r LIKE 'amount % USD is above the automatic limit %' THEN 'amount limit'
            WHEN r LIKE 'collection risk % is above %' THEN 'risk'
            WHEN r LIKE 'action % is not automatable for type %' THEN 'not automatable'
            WHEN r LIKE 'parameter % has no trustworthy source%' OR r LIKE 'parameter %: % says % but the text says %' THEN 'parameter missing'
            WHEN r LIKE 'this case needs % corrected but no identifier%' OR r LIKE '% has no correction history and nothing similar is known'
                OR r LIKE '% moves money: a person must apply %' OR r LIKE '% was never seen before; candidates for a person%'
                OR r LIKE '% is not certain enough (best %' THEN 'enrichment held'
            WHEN r = 'no precedent in the history for this type' THEN 'no precedent'
            WHEN r LIKE 'nearest precedent similarity % is below %' OR r LIKE 'no precedent among the nearest agrees with %'
                OR r LIKE 'the closest precedent agreeing with % has similarity %' THEN 'weak precedent'
            WHEN r LIKE 'the text says little about the cause%' THEN 'vague text'
            WHEN r LIKE 'confidence % is below the threshold %' THEN 'below threshold'
          END AS tag
          FROM jsonb_array_elements_text(d.reasons) AS r) t
    WHERE t.tag IS NOT NULL), '{}')
WHERE d.outcome = 'queue';

-- Search over the text, customer, invoice and external id of queued items
-- (ILIKE '%word%' per word, served by trigrams). The expression must match
-- the one in triage/postgres/queue.go exactly for the planner to use it.
CREATE INDEX exceptions_queue_search_idx ON exceptions
    USING gin ((text || ' ' || customer_id || ' ' || invoice_id || ' ' || coalesce(external_id, '')) public.gin_trgm_ops)
    WHERE status = 'queued';

-- A person's saved queue views: a name and the query string of a queue
-- page, per API key (the UI session's key too).
CREATE TABLE saved_views (
    id         bigserial PRIMARY KEY,
    key_id     bigint NOT NULL REFERENCES api_keys (id),
    queue      text NOT NULL,
    name       text NOT NULL,
    query      text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (key_id, queue, name)
);

-- +goose Down
DROP TABLE saved_views;
DROP INDEX exceptions_queue_search_idx;
ALTER TABLE decisions DROP COLUMN why;

package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/billtriage/billtriage/triage"
)

var _ triage.AlarmStore = (*Store)(nil)

// verdictSQL is, for an automated decision d of exception e, whether people
// have given a verdict on it (reviewed) and whether they agreed
// (correct): a revert, or for an ERP posting failure a later failed
// posting of the same invoice, says it was wrong; otherwise the
// exception's resolution says, agreeing when its root cause and action
// are the ones applied.
const verdictSQL = `
CROSS JOIN LATERAL (
    SELECT EXISTS (SELECT 1 FROM audit_log l WHERE l.exception_id = e.id AND l.action = 'reverted') AS reverted,
           (e.type = 'erp_posting_failure' AND e.invoice_id <> '' AND EXISTS (
               SELECT 1 FROM postings p WHERE p.invoice_id = e.invoice_id AND p.status = 'failed'
                AND p.at > d.decided_at AND p.exception_id IS DISTINCT FROM e.id)) AS failed_again
) w
LEFT JOIN LATERAL (
    SELECT r.root_cause, r.action FROM resolutions r WHERE r.exception_id = e.id ORDER BY r.id DESC LIMIT 1
) r ON true
CROSS JOIN LATERAL (
    SELECT (w.reverted OR w.failed_again OR r.root_cause IS NOT NULL) AS reviewed,
           coalesce(NOT w.reverted AND NOT w.failed_again AND r.root_cause = d.suggestion->>'root_cause'
               AND r.action = d.suggestion->>'action', false) AS correct
) v`

// decisionCountsSQL counts decisions and automated ones per type in the
// window [$1, $2) and the reference window [$3, $1).
const decisionCountsSQL = `
SELECT e.type,
       count(*) FILTER (WHERE d.decided_at >= $1),
       count(*) FILTER (WHERE d.decided_at >= $1 AND d.outcome = 'auto'),
       count(*) FILTER (WHERE d.decided_at < $1),
       count(*) FILTER (WHERE d.decided_at < $1 AND d.outcome = 'auto')
FROM decisions d JOIN exceptions e ON e.id = d.exception_id
WHERE d.decided_at >= $3 AND d.decided_at < $2
GROUP BY e.type`

// confidenceBinsSQL counts decisions per type, window and confidence bin.
const confidenceBinsSQL = `
SELECT e.type, d.decided_at >= $1,
       least(greatest(floor(coalesce((d.suggestion->>'confidence')::float8, 0) * 10), 0), 9)::int AS bin, count(*)
FROM decisions d JOIN exceptions e ON e.id = d.exception_id
WHERE d.decided_at >= $3 AND d.decided_at < $2
GROUP BY 1, 2, 3`

// verdictCountsSQL counts the verdicts on the window's automated
// decisions per type.
const verdictCountsSQL = `
SELECT e.type, count(*) FILTER (WHERE v.reviewed), count(*) FILTER (WHERE v.reviewed AND v.correct)
FROM decisions d JOIN exceptions e ON e.id = d.exception_id` + verdictSQL + `
WHERE d.outcome = 'auto' AND d.decided_at >= $1 AND d.decided_at < $2
GROUP BY e.type`

// newSourcesSQL lists per type the sources of the window's exceptions
// that no earlier exception of the type had, for types seen before.
const newSourcesSQL = `
SELECT e.type, array_agg(DISTINCT e.source ORDER BY e.source)
FROM exceptions e
WHERE e.created_at >= $1 AND e.created_at < $2
  AND EXISTS (SELECT 1 FROM exceptions o WHERE o.type = e.type AND o.created_at < $1)
  AND NOT EXISTS (SELECT 1 FROM exceptions o WHERE o.type = e.type AND o.source = e.source AND o.created_at < $1)
GROUP BY e.type`

// newRootCausesSQL lists per type the root causes of the window's
// resolutions that no earlier resolution of the type had.
const newRootCausesSQL = `
SELECT r.type, array_agg(DISTINCT r.root_cause ORDER BY r.root_cause)
FROM resolutions r
WHERE r.resolved_at >= $1 AND r.resolved_at < $2
  AND EXISTS (SELECT 1 FROM resolutions o WHERE o.type = r.type AND o.resolved_at < $1)
  AND NOT EXISTS (SELECT 1 FROM resolutions o WHERE o.type = r.type AND o.root_cause = r.root_cause AND o.resolved_at < $1)
GROUP BY r.type`

// identifiersSQL lists the distinct invoice and customer ids of the
// exceptions received in [$3, $2), per type and window, at most $4.
const identifiersSQL = `
SELECT e.type, e.created_at >= $1, v.id
FROM exceptions e CROSS JOIN LATERAL (VALUES (e.invoice_id), (e.customer_id)) v(id)
WHERE e.created_at >= $3 AND e.created_at < $2 AND v.id <> ''
GROUP BY 1, 2, 3
LIMIT $4`

// riskOutcomesSQL pairs, for each invoice whose outcome became known in
// [$1, $2) (paid within $3 days of its due date, or not by then), the
// risk its exceptions' latest decision before then predicted with whether
// it was late, by that exception's type.
const riskOutcomesSQL = `
WITH known AS (
    SELECT i.invoice_id, least(coalesce(i.paid_at, 'infinity'), i.due_at + make_interval(days => $3)) AS known_at,
           (i.paid_at IS NULL OR i.paid_at > i.due_at + make_interval(days => $3)) AS late
    FROM invoices i
)
SELECT DISTINCT ON (k.invoice_id) e.type, (d.risk->>'probability')::float8, k.late
FROM known k
JOIN exceptions e ON e.invoice_id = k.invoice_id AND e.invoice_id <> ''
JOIN decisions d ON d.exception_id = e.id
WHERE k.known_at >= $1 AND k.known_at < $2 AND d.decided_at < k.known_at
  AND d.risk IS NOT NULL AND NOT coalesce((d.risk->>'known')::bool, false)
ORDER BY k.invoice_id, d.decided_at DESC`

// AlarmFacts counts q's windows per type.
func (s *Store) AlarmFacts(ctx context.Context, q triage.AlarmQuery) ([]triage.AlarmFacts, error) {
	byType := map[triage.Type]*triage.AlarmFacts{}
	get := func(t triage.Type) *triage.AlarmFacts {
		f, ok := byType[t]
		if !ok {
			f = &triage.AlarmFacts{Type: t}
			byType[t] = f
		}
		return f
	}
	var b pgx.Batch
	b.Queue(decisionCountsSQL, q.From, q.To, q.RefFrom).Query(func(rows pgx.Rows) error {
		return forEach(rows, func(t triage.Type, r pgx.Rows) error {
			f := get(t)
			return r.Scan(nil, &f.Decisions, &f.Automated, &f.RefDecisions, &f.RefAutomated)
		})
	})
	b.Queue(confidenceBinsSQL, q.From, q.To, q.RefFrom).Query(func(rows pgx.Rows) error {
		return forEach(rows, func(t triage.Type, r pgx.Rows) error {
			var cur bool
			var bin, n int
			if err := r.Scan(nil, &cur, &bin, &n); err != nil {
				return err
			}
			if cur {
				get(t).Confidence[bin] += n
			} else {
				get(t).RefConfidence[bin] += n
			}
			return nil
		})
	})
	b.Queue(verdictCountsSQL, q.From, q.To).Query(func(rows pgx.Rows) error {
		return forEach(rows, func(t triage.Type, r pgx.Rows) error {
			f := get(t)
			return r.Scan(nil, &f.Verdicts, &f.Correct)
		})
	})
	b.Queue(newSourcesSQL, q.From, q.To).Query(func(rows pgx.Rows) error {
		return forEach(rows, func(t triage.Type, r pgx.Rows) error { return r.Scan(nil, &get(t).NewSources) })
	})
	b.Queue(newRootCausesSQL, q.From, q.To).Query(func(rows pgx.Rows) error {
		return forEach(rows, func(t triage.Type, r pgx.Rows) error { return r.Scan(nil, &get(t).NewRootCauses) })
	})
	b.Queue(identifiersSQL, q.From, q.To, q.RefFrom, 4*q.MaxIDs*len(triage.Types)).Query(func(rows pgx.Rows) error {
		return forEach(rows, func(t triage.Type, r pgx.Rows) error {
			var cur bool
			var id string
			if err := r.Scan(nil, &cur, &id); err != nil {
				return err
			}
			f := get(t)
			switch {
			case cur && len(f.IDs) < q.MaxIDs:
				f.IDs = append(f.IDs, id)
			case !cur && len(f.RefIDs) < q.MaxIDs:
				f.RefIDs = append(f.RefIDs, id)
			}
			return nil
		})
	})
	b.Queue(riskOutcomesSQL, q.From, q.To, q.LateAfterDays).Query(func(rows pgx.Rows) error {
		return forEach(rows, func(t triage.Type, r pgx.Rows) error {
			var o triage.RiskOutcome
			if err := r.Scan(nil, &o.Predicted, &o.Late); err != nil {
				return err
			}
			get(t).Risk = append(get(t).Risk, o)
			return nil
		})
	})
	if err := s.db.Pool.SendBatch(ctx, &b).Close(); err != nil {
		return nil, translate(err)
	}
	out := make([]triage.AlarmFacts, 0, len(byType))
	for _, t := range triage.Types {
		if f, ok := byType[t]; ok {
			out = append(out, *f)
		}
	}
	return out, nil
}

// forEach scans each row's leading type and hands the row to fn, which
// scans the rest (passing nil for the type's column).
func forEach(rows pgx.Rows, fn func(triage.Type, pgx.Rows) error) error {
	defer rows.Close()
	for rows.Next() {
		t := string(rows.RawValues()[0]) // text: its bytes in either format
		if !triage.Type(t).Valid() {
			continue
		}
		if err := fn(triage.Type(t), rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// recentVerdictsSQL counts the verdicts on the newest $2 automated
// decisions of type $1 made at or after $3 that have one.
const recentVerdictsSQL = `
SELECT count(*), count(*) FILTER (WHERE correct) FROM (
    SELECT v.correct
    FROM decisions d JOIN exceptions e ON e.id = d.exception_id` + verdictSQL + `
    WHERE d.outcome = 'auto' AND e.type = $1 AND d.decided_at >= $3 AND v.reviewed
    ORDER BY d.decided_at DESC, d.id DESC
    LIMIT $2
) x`

// RecentVerdicts implements triage.AlarmStore.
func (s *Store) RecentVerdicts(ctx context.Context, t triage.Type, n int, since time.Time) (correct, total int, err error) {
	err = s.db.Pool.QueryRow(ctx, recentVerdictsSQL, t, n, since).Scan(&total, &correct)
	return correct, total, translate(err)
}

const upsertMeasureSQL = `
INSERT INTO drift_measures (week, type, kind, value, threshold, samples, known, breach, detail, measured_at)
VALUES (to_date($1, 'IYYY-"W"IW'), $2, $3, $4, $5, $6, $7, $8, $9, now())
ON CONFLICT (week, type, kind) DO UPDATE SET value = excluded.value, threshold = excluded.threshold,
    samples = excluded.samples, known = excluded.known, breach = excluded.breach, detail = excluded.detail,
    measured_at = excluded.measured_at`

// SaveMeasures implements triage.AlarmStore.
func (s *Store) SaveMeasures(ctx context.Context, ms []triage.Measure) error {
	if len(ms) == 0 {
		return nil
	}
	var b pgx.Batch
	for _, m := range ms {
		b.Queue(upsertMeasureSQL, m.Week, m.Type, m.Kind, m.Value, m.Threshold, m.Samples, m.Known, m.Breach, m.Detail)
	}
	return translate(s.db.Pool.SendBatch(ctx, &b).Close())
}

const measuresSQL = `
SELECT to_char(week, 'IYYY-"W"IW'), type, kind, value, threshold, samples, known, breach, detail
FROM drift_measures WHERE week >= $1::date ORDER BY week DESC, type, kind`

// Measures implements triage.AlarmStore.
func (s *Store) Measures(ctx context.Context, since time.Time) ([]triage.Measure, error) {
	rows, err := s.db.Pool.Query(ctx, measuresSQL, since.UTC().Format(time.DateOnly))
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (triage.Measure, error) {
		var m triage.Measure
		err := r.Scan(&m.Week, &m.Type, &m.Kind, &m.Value, &m.Threshold, &m.Samples, &m.Known, &m.Breach, &m.Detail)
		return m, err
	})
	return out, translate(err)
}

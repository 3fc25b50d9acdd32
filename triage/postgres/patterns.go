package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"

	"github.com/billtriage/billtriage/triage"
)

var _ triage.PatternStore = (*Store)(nil)

// patternItemsSQL reads a run's window: the history resolved (its vector
// when $2 made it) and the open exceptions with their latest suggestion
// and kept vector, each newest first and at most $3.
const patternItemsSQL = `(SELECT r.id, coalesce(r.exception_id, 0), r.type, r.occurred_at, r.root_cause, r.action, false, r.queue,
		CASE WHEN r.embedder = $2 THEN r.embedding END, '', coalesce(r.facts, '{}'::jsonb)
	FROM resolutions r WHERE r.occurred_at >= $1 ORDER BY r.occurred_at DESC, r.id DESC LIMIT $3)
UNION ALL
(SELECT 0, e.id, e.type, e.occurred_at, coalesce(d.suggestion->>'root_cause', ''), coalesce(d.suggestion->>'action', ''), true,
		coalesce(e.queue, ''), v.embedding, e.text,
		jsonb_build_object('source', e.source, 'customer_id', e.customer_id, 'currency', e.currency, 'region', e.region, 'attributes', e.attributes)
	FROM exceptions e JOIN decisions d ON d.exception_id = e.id
	LEFT JOIN pattern_vectors v ON v.exception_id = e.id AND v.embedder = $2
	WHERE e.occurred_at >= $1 AND e.status IN ('triaged', 'queued', 'auto_enriched')
	ORDER BY e.occurred_at DESC, e.id DESC LIMIT $3)`

// PatternItems implements triage.PatternStore.
func (s *Store) PatternItems(ctx context.Context, since time.Time, embedder string, limit int) ([]triage.PatternItem, error) {
	rows, err := s.db.Pool.Query(ctx, patternItemsSQL, since, embedder, limit)
	if err != nil {
		return nil, translate(err)
	}
	items, err := pgx.CollectRows(rows, scanPatternItem)
	if err != nil {
		return nil, translate(err)
	}
	slices.SortStableFunc(items, func(a, b triage.PatternItem) int { return b.OccurredAt.Compare(a.OccurredAt) })
	return items[:min(limit, len(items))], nil
}

func scanPatternItem(row pgx.CollectableRow) (triage.PatternItem, error) {
	var it triage.PatternItem
	var typ, queue string
	var v *pgvector.Vector
	var facts []byte
	if err := row.Scan(&it.ResolutionID, &it.ExceptionID, &typ, &it.OccurredAt, &it.RootCause, &it.Action, &it.Open,
		&queue, &v, &it.Text, &facts); err != nil {
		return it, err
	}
	it.Type, it.Queue = triage.Type(typ), triage.Queue(queue)
	if v != nil {
		it.Vector = v.Slice()
	}
	var f triage.Facts
	if err := json.Unmarshal(facts, &f); err != nil {
		return it, fmt.Errorf("facts of resolution %d: %w", it.ResolutionID, err)
	}
	it.Attributes = f.Attributes
	it.Facts = map[string]string{}
	for place, val := range f.Places() {
		switch val := val.(type) {
		case string:
			it.Facts[place] = val
		case bool:
			it.Facts[place] = strconv.FormatBool(val)
		}
	}
	return it, nil
}

const upsertPatternVectorSQL = `INSERT INTO pattern_vectors (exception_id, embedder, embedding) VALUES ($1, $2, $3)
	ON CONFLICT (exception_id, embedder) DO UPDATE SET embedding = excluded.embedding`

// SavePatternVectors implements triage.PatternStore.
func (s *Store) SavePatternVectors(ctx context.Context, embedder string, ids []int64, vecs [][]float32) error {
	b := &pgx.Batch{}
	for i, id := range ids {
		b.Queue(upsertPatternVectorSQL, id, embedder, pgvector.NewVector(vecs[i]))
	}
	return translate(s.db.Pool.SendBatch(ctx, b).Close())
}

// keepPatternRuns is how many runs are kept: the newest is read, the one
// before tells which spikes are new, a few more help whoever debugs one.
const keepPatternRuns = 5

const (
	insertPatternRunSQL = `INSERT INTO pattern_runs (at, from_at, items, patterns, spikes, dims) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`
	insertPatternSQL    = `INSERT INTO patterns (run_id, id, type, root_cause, action, size, open, first_at, last_at, daily, breakdown, spike)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`
	prunePatternRunsSQL = `DELETE FROM pattern_runs WHERE id NOT IN (SELECT id FROM pattern_runs ORDER BY id DESC LIMIT $1)`
)

// SavePatternRun implements triage.PatternStore: the run, its patterns and
// members in one transaction, so a reader sees a run whole or not at all.
func (s *Store) SavePatternRun(ctx context.Context, run triage.PatternRun, ps []triage.Pattern, events ...triage.Event) (triage.PatternRun, error) {
	spikes, err := json.Marshal(orEmpty(run.Spikes))
	if err != nil {
		return run, triage.Wrap(triage.EINTERNAL, err, "encode spikes")
	}
	dims, _ := json.Marshal(orEmpty(run.Dims))
	err = pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, insertPatternRunSQL, run.At, run.From, run.Items, run.Patterns, spikes, dims).Scan(&run.ID); err != nil {
			return err
		}
		b := &pgx.Batch{}
		var members [][]any
		for _, p := range ps {
			bd, _ := json.Marshal(orEmpty(p.Breakdown))
			var sp []byte
			if p.Spike != nil {
				sp, _ = json.Marshal(p.Spike)
			}
			b.Queue(insertPatternSQL, run.ID, p.ID, string(p.Type), p.RootCause, p.Action, p.Size, p.Open, p.First, p.Last, p.Daily, bd, sp)
			for _, m := range p.Refs {
				members = append(members, []any{run.ID, p.ID, nullID(m.ExceptionID), nullID(m.ResolutionID)})
			}
		}
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"pattern_members"}, []string{"run_id", "pattern_id", "exception_id", "resolution_id"},
			pgx.CopyFromRows(members)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, prunePatternRunsSQL, keepPatternRuns); err != nil {
			return err
		}
		if len(events) == 0 {
			return nil
		}
		return s.appendEvents(ctx, tx, events)
	})
	return run, translate(err)
}

// orEmpty makes a nil list encode as [] rather than null.
func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

const (
	latestPatternRunSQL = `SELECT id, at, from_at, items, patterns, spikes, dims FROM pattern_runs ORDER BY id DESC LIMIT 1`
	patternColumns      = `id, type, root_cause, action, size, open, first_at, last_at, daily, breakdown, spike`
	runPatternsSQL      = `SELECT ` + patternColumns + ` FROM patterns WHERE run_id = $1 ORDER BY size DESC, id`
	onePatternSQL       = `SELECT ` + patternColumns + ` FROM patterns WHERE run_id = $1 AND id = $2`
)

// LatestPatternRun implements triage.PatternStore.
func (s *Store) LatestPatternRun(ctx context.Context) (triage.PatternRun, []triage.Pattern, error) {
	var run triage.PatternRun
	var spikes, dims []byte
	err := s.db.Pool.QueryRow(ctx, latestPatternRunSQL).Scan(&run.ID, &run.At, &run.From, &run.Items, &run.Patterns, &spikes, &dims)
	if errors.Is(err, pgx.ErrNoRows) {
		return run, nil, triage.Errorf(triage.ENOTFOUND, "patterns have not been detected yet")
	}
	if err != nil {
		return run, nil, translate(err)
	}
	if err := errors.Join(json.Unmarshal(spikes, &run.Spikes), json.Unmarshal(dims, &run.Dims)); err != nil {
		return run, nil, triage.Wrap(triage.EINTERNAL, err, "decode pattern run %d", run.ID)
	}
	rows, err := s.db.Pool.Query(ctx, runPatternsSQL, run.ID)
	if err != nil {
		return run, nil, translate(err)
	}
	ps, err := pgx.CollectRows(rows, scanPattern)
	return run, ps, translate(err)
}

func scanPattern(row pgx.CollectableRow) (triage.Pattern, error) {
	var p triage.Pattern
	var typ string
	var bd, sp []byte
	var daily []int32
	if err := row.Scan(&p.ID, &typ, &p.RootCause, &p.Action, &p.Size, &p.Open, &p.First, &p.Last, &daily, &bd, &sp); err != nil {
		return p, err
	}
	p.Type = triage.Type(typ)
	for _, d := range daily {
		p.Daily = append(p.Daily, int(d))
	}
	if err := json.Unmarshal(bd, &p.Breakdown); err != nil {
		return p, err
	}
	if sp != nil {
		p.Spike = &triage.Spike{}
		return p, json.Unmarshal(sp, p.Spike)
	}
	return p, nil
}

// patternMembersSQL lists a pattern's members as they stand now: an
// exception's current status, queue and resolution (or suggestion while
// open), open ones first, then oldest first.
const patternMembersSQL = `SELECT coalesce(m.exception_id, 0), coalesce(m.resolution_id, 0),
	coalesce(e.type, r.type), coalesce(e.occurred_at, r.occurred_at),
	coalesce(e.status, CASE WHEN r.verdict = 'reject' THEN 'rejected' ELSE 'resolved' END),
	coalesce(e.queue, nullif(r.queue, ''), ''),
	coalesce(rr.root_cause, r.root_cause, d.suggestion->>'root_cause', ''), coalesce(rr.action, r.action, d.suggestion->>'action', ''),
	left(coalesce(e.text, r.text), 400), coalesce(nullif(e.customer_id, ''), r.facts->>'customer_id', '')
FROM pattern_members m
LEFT JOIN exceptions e ON e.id = m.exception_id
LEFT JOIN resolutions r ON r.id = m.resolution_id
LEFT JOIN LATERAL (SELECT x.root_cause, x.action FROM resolutions x WHERE x.exception_id = e.id ORDER BY x.id DESC LIMIT 1) rr ON m.resolution_id IS NULL
LEFT JOIN decisions d ON d.exception_id = e.id
WHERE m.run_id = $1 AND m.pattern_id = $2
ORDER BY coalesce(e.status IN ('triaged', 'queued', 'auto_enriched'), false) DESC, coalesce(e.occurred_at, r.occurred_at),
	m.exception_id NULLS LAST, m.resolution_id`

// PatternMembers implements triage.PatternStore.
func (s *Store) PatternMembers(ctx context.Context, runID int64, id string) (triage.Pattern, []triage.PatternMember, error) {
	rows, err := s.db.Pool.Query(ctx, onePatternSQL, runID, id)
	if err != nil {
		return triage.Pattern{}, nil, translate(err)
	}
	p, err := pgx.CollectOneRow(rows, scanPattern)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, nil, triage.Errorf(triage.ENOTFOUND, "pattern %s not found in the latest run", id)
	}
	if err != nil {
		return p, nil, translate(err)
	}
	rows, err = s.db.Pool.Query(ctx, patternMembersSQL, runID, id)
	if err != nil {
		return p, nil, translate(err)
	}
	ms, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (triage.PatternMember, error) {
		var m triage.PatternMember
		var typ, status, queue string
		err := row.Scan(&m.ExceptionID, &m.ResolutionID, &typ, &m.OccurredAt, &status, &queue, &m.RootCause, &m.Action, &m.Text, &m.CustomerID)
		m.Type, m.Status, m.Queue = triage.Type(typ), triage.Status(status), triage.Queue(queue)
		return m, err
	})
	return p, ms, translate(err)
}

package postgres

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pgvector/pgvector-go"

	"github.com/billtriage/billtriage/triage"
)

// resolutionColumnList names the columns AddResolutions copies, in the
// order of its rows; resolutionColumns is the same list for CopyFrom, so
// the two cannot drift apart.
const resolutionColumnList = `exception_id, external_id, type, text, root_cause, action, params, queue, ` +
	`verdict, resolved_by, note, occurred_at, resolved_at, embedder, embedding, match_text, facts`

var resolutionColumns = strings.Split(resolutionColumnList, ", ")

// The bulk load of AddResolutions, staged through temporary tables.
const (
	// createResolutionsLoadSQL copies no defaults: the id default would
	// draw from the real table's sequence. ord keeps the COPY order for
	// deterministic ids.
	createResolutionsLoadSQL = `CREATE TEMP TABLE resolutions_load ON COMMIT DROP AS SELECT ` + resolutionColumnList + ` FROM resolutions WITH NO DATA;
		ALTER TABLE resolutions_load ADD COLUMN ord bigint GENERATED ALWAYS AS IDENTITY`
	// insertLoadedSQL inserts the staged rows not already imported and,
	// for only the rows actually inserted, their corrections, so a
	// repeated load adds no evidence twice. It returns how many rows were
	// inserted (a data-modifying WITH runs whether or not it is read).
	insertLoadedSQL = `WITH ins AS (
			INSERT INTO resolutions (` + resolutionColumnList + `) SELECT ` + resolutionColumnList + ` FROM resolutions_load ORDER BY ord
			ON CONFLICT (external_id) WHERE verdict = 'imported' AND external_id <> '' DO NOTHING
			RETURNING id, external_id),
		ev AS (INSERT INTO corrections (resolution_id, field, key, from_value, to_value, type, at, by, reversed_at)
			SELECT ins.id, c.field, c.key, c.from_value, c.to_value, c.type, c.at, c.by, c.reversed_at
			FROM ins JOIN corrections_load c ON c.external_id = ins.external_id AND ins.external_id <> ''
			ORDER BY c.ord)
		SELECT count(*) FROM ins`
	// analyzeResolutionsSQL refreshes the statistics through the owner's
	// function: the service's role may not ANALYZE (migration 00014).
	analyzeResolutionsSQL = `SELECT analyze_resolutions()`
	// createCorrectionsLoadSQL stages the corrections of a load, keyed by
	// external id.
	createCorrectionsLoadSQL = `CREATE TEMP TABLE corrections_load (ord serial, external_id text, field text, key text,
		from_value text, to_value text, type text, at timestamptz, by text, reversed_at timestamptz) ON COMMIT DROP`
)

// AddResolutions bulk-loads history rows: COPY into a temporary table, then
// an insert that skips imported rows already present, so loading the same
// file twice adds nothing. A call of analyzeAfter rows or more refreshes
// the statistics; a large load goes through BeginHistoryLoad instead,
// which does it once at the end.
func (s *Store) AddResolutions(ctx context.Context, rs []triage.Resolution) error {
	_, err := s.addResolutions(ctx, rs)
	if err == nil && len(rs) >= analyzeAfter {
		// Fresh statistics let the planner choose between the HNSW index
		// and an exact scan of a small filtered set.
		_, err = s.db.Pool.Exec(ctx, analyzeResolutionsSQL)
	}
	return translate(err)
}

// resolutionRow is r as the values of resolutionColumns, in order: the one
// place a history row is laid out for COPY.
func resolutionRow(r triage.Resolution) ([]any, error) {
	params, err := marshalMap(r.Params, "")
	if err != nil {
		return nil, err
	}
	facts, err := marshalFacts(r.Facts)
	if err != nil {
		return nil, err
	}
	return []any{r.ExceptionID, r.ExternalID, string(r.Type), r.Text, r.RootCause, r.Action, params, string(r.Queue),
		string(r.Verdict), r.ResolvedBy, r.Note, r.OccurredAt, r.ResolvedAt, r.Embedder, pgvector.NewVector(r.Vector), r.MatchText, facts}, nil
}

// addResolutions stores rs in one transaction and returns how many rows
// were new.
func (s *Store) addResolutions(ctx context.Context, rs []triage.Resolution) (int, error) {
	rows := make([][]any, len(rs))
	for i, r := range rs {
		row, err := resolutionRow(r)
		if err != nil {
			return 0, err
		}
		rows[i] = row
	}
	var added int
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, createResolutionsLoadSQL); err != nil {
			return err
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"resolutions_load"}, resolutionColumns, pgx.CopyFromRows(rows)); err != nil {
			return err
		}
		if err := copyEvidence(ctx, tx, rs); err != nil {
			return err
		}
		return tx.QueryRow(ctx, insertLoadedSQL).Scan(&added)
	})
	return added, translate(err)
}

// analyzeAfter is the batch size from which a load refreshes statistics.
const analyzeAfter = 200

// copyEvidence stages the corrections of rs, keyed by external id.
func copyEvidence(ctx context.Context, tx pgx.Tx, rs []triage.Resolution) error {
	if _, err := tx.Exec(ctx, createCorrectionsLoadSQL); err != nil {
		return err
	}
	var rows [][]any
	for _, r := range rs {
		for _, e := range resolutionEvidence(r) {
			rows = append(rows, []any{r.ExternalID, e.Field, e.Key, e.From, e.To, string(e.Type), e.At, e.By, e.ReversedAt})
		}
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"corrections_load"}, []string{"external_id", "field", "key", "from_value",
		"to_value", "type", "at", "by", "reversed_at"}, pgx.CopyFromRows(rows))
	return err
}

// neighborTextChars bounds the precedent text carried in a decision: enough
// for a reviewer to recognise the case, not a whole email thread.
const neighborTextChars = 400

// The nearest-neighbour query. {cast}, {pred} and {typePred} come from
// indexSpec and typePred, and {dims} from strconv, written as literals so
// that the planner matches the embedder's partial HNSW index of that type
// (see vector.go); {before} is empty or nearestBeforeSQL, as the time
// bound adds a parameter. $1 is the query vector, $2 the row limit, $3
// neighborTextChars, $4 the time bound.
const (
	nearestTypeSQL = `SELECT id, external_id, type, root_cause, action, params, queue, left(text, $3), resolved_at, 1 - ({dist}) AS sim
		FROM resolutions WHERE {pred} AND {typePred}{before} ORDER BY {dist} LIMIT $2`
	nearestDistSQL    = `{cast} <=> $1::vector({dims})`
	nearestBeforeSQL  = ` AND resolved_at < $4`
	nearestBranchSQL  = `({query})`
	nearestAllTypeSQL = `SELECT * FROM ({branches}) n ORDER BY sim DESC LIMIT $2`
	// nearestEfSearchSQL sets ef_search above the row limit, which keeps
	// recall near exact; nearestIterativeSQL a strict order, which keeps
	// results sorted by distance when the time bound makes the scan skip
	// rows. LOCAL to the implicit transaction of Nearest's batch; one
	// statement each, as a batch prepares every statement.
	nearestEfSearchSQL  = `SET LOCAL hnsw.ef_search = {ef}`
	nearestIterativeSQL = `SET LOCAL hnsw.iterative_scan = strict_order`
)

// DefaultEfSearch is the HNSW search breadth when DB.EfSearch is 0.
const DefaultEfSearch = 100

// efSearchSQL sets the search breadth: DB.EfSearch, or DefaultEfSearch.
func (db *DB) efSearchSQL() string {
	ef := db.EfSearch
	if ef <= 0 {
		ef = DefaultEfSearch
	}
	return fillSQL(nearestEfSearchSQL, "{ef}", strconv.Itoa(min(ef, 1000)))
}

// nearestSQL returns q's statement and its parameters. A query of one
// type reads that type's index; one of every type (no caller of the
// service's asks for it, but the store allows it) reads each type's index
// and merges, since there is no index over all types.
func nearestSQL(q triage.NearestQuery) (string, []any, error) {
	cast, pred, err := indexSpec(q.Embedder, len(q.Vector))
	if err != nil {
		return "", nil, err
	}
	args := []any{pgvector.NewVector(q.Vector), min(4*q.K, 200), neighborTextChars}
	before := ""
	if !q.Before.IsZero() {
		before = nearestBeforeSQL
		args = append(args, q.Before)
	}
	dist := fillSQL(nearestDistSQL, "{cast}", cast, "{dims}", strconv.Itoa(len(q.Vector)))
	one := func(t triage.Type) (string, error) {
		tp, err := typePred(t)
		return fillSQL(nearestTypeSQL, "{dist}", dist, "{pred}", pred, "{typePred}", tp, "{before}", before), err
	}
	if q.Type != "" {
		sql, err := one(q.Type)
		return sql, args, err
	}
	branches := make([]string, len(triage.Types))
	for i, t := range triage.Types {
		sql, err := one(t)
		if err != nil {
			return "", nil, err
		}
		branches[i] = fillSQL(nearestBranchSQL, "{query}", sql)
	}
	return fillSQL(nearestAllTypeSQL, "{branches}", strings.Join(branches, " UNION ALL ")), args, nil
}

// Nearest returns the K resolutions closest to q.Vector by cosine
// similarity (on the standby when there is one), in one round trip once the connection has prepared its
// statements: the scan settings and the query go in one pipelined batch,
// whose implicit transaction scopes the SET LOCALs.
func (s *Store) Nearest(ctx context.Context, q triage.NearestQuery) ([]triage.Neighbor, error) {
	sql, args, err := nearestSQL(q)
	if err != nil {
		return nil, err
	}
	// Fetch more than K and re-rank exactly by (similarity, id): near-
	// identical texts embed to identical vectors, and without a tie-break
	// which of them come back would depend on the HNSW graph's random
	// levels, making replays irreproducible.
	var out []triage.Neighbor
	err = s.db.lagTolerant(ctx, func(pool *pgxpool.Pool) error {
		b := &pgx.Batch{}
		b.Queue(s.db.efSearchSQL())
		b.Queue(nearestIterativeSQL)
		b.Queue(sql, args...).Query(func(rows pgx.Rows) error {
			var err error
			out, err = pgx.CollectRows(rows, scanNeighbor)
			return err
		})
		return pool.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return nil, translate(err)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Similarity != out[j].Similarity {
			return out[i].Similarity > out[j].Similarity
		}
		return out[i].ResolutionID < out[j].ResolutionID
	})
	if len(out) > q.K {
		out = out[:q.K]
	}
	return out, nil
}

func scanNeighbor(r pgx.CollectableRow) (triage.Neighbor, error) {
	var n triage.Neighbor
	var params []byte
	if err := r.Scan(&n.ResolutionID, &n.ExternalID, &n.Type, &n.RootCause, &n.Action, &params, &n.Queue, &n.Text, &n.ResolvedAt, &n.Similarity); err != nil {
		return n, err
	}
	return n, unmarshalMap(params, &n.Params)
}

const insertResolutionSQL = `INSERT INTO resolutions (exception_id, external_id, type, text, root_cause, action, params, queue,
		verdict, resolved_by, note, occurred_at, resolved_at, embedder, embedding, match_text, facts)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id`

// SaveResolution stores a person's resolution and closes the exception. The
// exception row is locked first, so two reviewers cannot both resolve it.
func (s *Store) SaveResolution(ctx context.Context, ex triage.Exception, r triage.Resolution, audit triage.AuditEntry, events ...triage.Event) (triage.Resolution, error) {
	params, err := marshalMap(r.Params, "")
	if err != nil {
		return r, err
	}
	facts, err := marshalFacts(r.Facts)
	if err != nil {
		return r, err
	}
	err = pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		if err := lockStatus(ctx, tx, ex.ID, triage.Status.Open); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, insertResolutionSQL,
			r.ExceptionID, r.ExternalID, r.Type, r.Text, r.RootCause, r.Action, params, r.Queue, r.Verdict, r.ResolvedBy,
			r.Note, r.OccurredAt, r.ResolvedAt, r.Embedder, pgvector.NewVector(r.Vector), r.MatchText, facts).Scan(&r.ID)
		if err != nil {
			return translate(err)
		}
		if err := updateException(ctx, tx, ex, r.ResolvedAt); err != nil {
			return err
		}
		for _, e := range resolutionEvidence(r) {
			if err := insertEvidence(ctx, tx, e, &r.ID, &ex.ID); err != nil {
				return translate(err)
			}
		}
		if err := appendAudit(ctx, tx, []triage.AuditEntry{audit}); err != nil {
			return err
		}
		return s.appendEvents(ctx, tx, events)
	})
	return r, translate(err)
}

const resolutionCountSQL = `SELECT embedder, count(*) FROM resolutions GROUP BY embedder`

// ResolutionCount returns how many history rows each embedder has.
func (s *Store) ResolutionCount(ctx context.Context) (map[string]int, error) {
	rows, err := s.db.Pool.Query(ctx, resolutionCountSQL)
	if err != nil {
		return nil, translate(err)
	}
	out := map[string]int{}
	var name string
	var n int
	_, err = pgx.ForEachRow(rows, []any{&name, &n}, func() error { out[name] = n; return nil })
	return out, translate(err)
}

// ReembedBatch is a page of history to move to a new embedder.
type ReembedBatch struct {
	IDs   []int64
	Texts []string
}

// notEmbeddedBySQL falls back to the text for rows from before match_text existed.
const notEmbeddedBySQL = `SELECT id, coalesce(nullif(match_text, ''), text) FROM resolutions
	WHERE embedder <> $1 AND id > $2 ORDER BY id LIMIT $3`

// ResolutionsNotEmbeddedBy returns up to limit resolutions after id
// afterID whose vector does not come from embedder.
func (s *Store) ResolutionsNotEmbeddedBy(ctx context.Context, embedder string, afterID int64, limit int) (ReembedBatch, error) {
	rows, err := s.db.Pool.Query(ctx, notEmbeddedBySQL, embedder, afterID, limit)
	if err != nil {
		return ReembedBatch{}, translate(err)
	}
	var b ReembedBatch
	var id int64
	var text string
	_, err = pgx.ForEachRow(rows, []any{&id, &text}, func() error {
		b.IDs, b.Texts = append(b.IDs, id), append(b.Texts, text)
		return nil
	})
	return b, translate(err)
}

const setVectorSQL = `UPDATE resolutions SET embedder = $2, embedding = $3 WHERE id = $1`

// SetVectors replaces the vectors of resolutions ids with vecs from embedder.
func (s *Store) SetVectors(ctx context.Context, embedder string, ids []int64, vecs [][]float32) error {
	b := &pgx.Batch{}
	for i, id := range ids {
		b.Queue(setVectorSQL, id, embedder, pgvector.NewVector(vecs[i]))
	}
	return translate(s.db.Pool.SendBatch(ctx, b).Close())
}

const rootCausesSQL = `SELECT root_cause FROM resolutions WHERE type = $1 GROUP BY root_cause ORDER BY count(*) DESC, root_cause`

// RootCauses lists the root causes the history holds for type t, most
// frequent first.
func (s *Store) RootCauses(ctx context.Context, t triage.Type) ([]string, error) {
	rows, err := s.db.Pool.Query(ctx, rootCausesSQL, string(t))
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return out, translate(err)
}

// TrainingExample is a labelled text of the history, with its embedding
// when one was asked for.
type TrainingExample struct {
	Text, RootCause, Action string
	Vector                  []float32
}

// trainingExamplesSQL reads a type's newest $3 resolutions (all when $3 is
// NULL) through resolutions (type, resolved_at DESC, id DESC) and returns
// them oldest first.
const trainingExamplesSQL = `SELECT txt, root_cause, action, vec FROM (
		SELECT coalesce(nullif(match_text, ''), text) AS txt, root_cause, action,
			CASE WHEN embedder = $2 THEN embedding END AS vec, resolved_at, id
		FROM resolutions WHERE type = $1 ORDER BY resolved_at DESC, id DESC LIMIT $3) newest
	ORDER BY resolved_at, id`

// TrainingExamples returns the newest resolutions of type t, at most
// newest of them (all when newest ≤ 0), oldest first: the text as it was
// matched, with its root cause and action. With a non-empty embedder it
// also returns the embeddings that embedder made (nil for rows another
// embedder made, until they are re-embedded).
func (s *Store) TrainingExamples(ctx context.Context, t triage.Type, embedder string, newest int) ([]TrainingExample, error) {
	var limit *int
	if newest > 0 {
		limit = &newest
	}
	rows, err := s.db.Pool.Query(ctx, trainingExamplesSQL, string(t), embedder, limit)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (TrainingExample, error) {
		var e TrainingExample
		var v *pgvector.Vector
		err := row.Scan(&e.Text, &e.RootCause, &e.Action, &v)
		if v != nil {
			e.Vector = v.Slice()
		}
		return e, err
	})
	return out, translate(err)
}

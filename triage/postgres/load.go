package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/billtriage/billtriage/triage"
)

// A bulk load of the history (BeginHistoryLoad). Inserting row by row into
// a live HNSW index is what made loads slow: each insert searches the
// on-disk graph, about four times the cost per row of building the graph
// in memory once the rows are in (100k rows: 135 s of inserts against a
// 33 s build). So a large load sets the embedder's indexes (one per type,
// see vector.go) aside and builds them again at the end, and a small one
// goes into the live indexes, which triage keeps using meanwhile.
//
// The rule: rebuild when the load brings at least minRebuildRows rows and
// at least as many as the embedder's history already holds, and DDL is
// possible (the owner's connection, BILLTRIAGE_MIGRATE_URL, or a pool role
// that owns the table). A load that at least doubles the history is then
// at least twice as fast as inserting into the index, and while the index
// is away a query scans exactly a history no larger than the load itself.
// A small load into a big history never drops the index.
const minRebuildRows = 1000

// historyLoad is a triage.HistoryLoad on this store.
type historyLoad struct {
	s        *Store
	plan     triage.HistoryLoadPlan
	existing int64 // rows of the embedder before the load
	rebuild  bool  // the indexes were dropped and must be built again
	note     string
	added    int64
	finished bool
}

// BeginHistoryLoad implements triage.HistoryLoader: it counts the
// embedder's history, decides by the rule above whether to set its index
// aside, and drops it (as the owner) if so.
func (s *Store) BeginHistoryLoad(ctx context.Context, plan triage.HistoryLoadPlan) (triage.HistoryLoad, error) {
	if _, _, err := indexSpec(plan.Embedder, plan.Dims); err != nil {
		return nil, err
	}
	l := &historyLoad{s: s, plan: plan}
	if err := s.db.Pool.QueryRow(ctx, embedderRowsSQL, plan.Embedder).Scan(&l.existing); err != nil {
		return nil, translate(err)
	}
	ddl, err := s.db.canChangeIndex(ctx)
	if err != nil {
		return nil, err
	}
	switch {
	case plan.Rows < minRebuildRows:
		l.note = fmt.Sprintf("kept: a load under %d rows goes into the live index", minRebuildRows)
	case int64(plan.Rows) < l.existing:
		l.note = fmt.Sprintf("kept: the load (%d rows) is smaller than the history it joins (%d rows), so it goes into the live index", plan.Rows, l.existing)
	case !ddl:
		l.note = "kept: rebuilding it would be faster, but only the schema's owner may (give BILLTRIAGE_MIGRATE_URL or --migrate-url)"
	default:
		if err := s.db.dropIndex(ctx, plan.Embedder); err != nil {
			return nil, err
		}
		l.rebuild = true
		l.note = fmt.Sprintf("rebuilt: the load (%d rows) is at least the size of the history it joins (%d rows)", plan.Rows, l.existing)
	}
	return l, nil
}

// The direct write of a bulk load. Staging through a temporary table and
// INSERT ... ON CONFLICT writes every row twice; a load instead asks which
// of its imported ids are present (one indexed lookup per batch), draws ids
// for the others from the table's sequence, and COPYs rows and
// corrections straight into their tables.
const (
	presentImportedSQL = `SELECT external_id FROM resolutions
		WHERE verdict = 'imported' AND external_id <> '' AND external_id = ANY($1)`
	// asyncCommitSQL spares each batch a wait for the WAL flush: a crash
	// may lose the last batches committed, which loading the file again
	// adds (a load is idempotent), never a batch half-written.
	asyncCommitSQL       = `SET LOCAL synchronous_commit = off`
	nextResolutionIDsSQL = `SELECT nextval(pg_get_serial_sequence('resolutions', 'id')) FROM generate_series(1, $1)`
)

// Add implements triage.HistoryLoad: it writes the rows not yet present
// with COPY. Should another writer add one of them meanwhile (a unique
// violation), the batch goes through AddResolutions' staged insert, which
// skips what is present.
func (l *historyLoad) Add(ctx context.Context, rs []triage.Resolution) (int, error) {
	n, err := l.copyNew(ctx, rs)
	if isUniqueViolation(err) {
		n, err = l.s.addResolutions(ctx, rs)
	}
	l.added += int64(n)
	return n, translate(err)
}

// copyNew writes the rows of rs not already imported, in one transaction.
func (l *historyLoad) copyNew(ctx context.Context, rs []triage.Resolution) (int, error) {
	var ids []string
	for _, r := range rs {
		if r.Verdict == triage.VerdictImported && r.ExternalID != "" {
			ids = append(ids, r.ExternalID)
		}
	}
	present := map[string]bool{}
	if len(ids) > 0 {
		rows, err := l.s.db.Pool.Query(ctx, presentImportedSQL, ids)
		if err != nil {
			return 0, err
		}
		found, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return 0, err
		}
		for _, id := range found {
			present[id] = true
		}
	}
	fresh := make([]triage.Resolution, 0, len(rs))
	for _, r := range rs {
		if !(r.Verdict == triage.VerdictImported && present[r.ExternalID]) {
			fresh = append(fresh, r)
		}
	}
	if len(fresh) == 0 {
		return 0, nil
	}
	err := pgx.BeginFunc(ctx, l.s.db.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, asyncCommitSQL); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, nextResolutionIDsSQL, len(fresh))
		if err != nil {
			return err
		}
		newIDs, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return err
		}
		// Ids in input order, as the staged insert gives them.
		slices.Sort(newIDs)
		res := make([][]any, len(fresh))
		var evidence [][]any
		for i, r := range fresh {
			row, err := resolutionRow(r)
			if err != nil {
				return err
			}
			res[i] = append([]any{newIDs[i]}, row...)
			for _, e := range resolutionEvidence(r) {
				evidence = append(evidence, []any{newIDs[i], e.Field, e.Key, e.From, e.To, string(e.Type), e.At, e.By, e.ReversedAt})
			}
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"resolutions"}, append([]string{"id"}, resolutionColumns...), pgx.CopyFromRows(res)); err != nil {
			return err
		}
		_, err = tx.CopyFrom(ctx, pgx.Identifier{"corrections"}, correctionColumns, pgx.CopyFromRows(evidence))
		return err
	})
	if err != nil {
		return 0, err
	}
	return len(fresh), nil
}

// correctionColumns are the columns copyNew writes to corrections.
var correctionColumns = []string{"resolution_id", "field", "key", "from_value", "to_value", "type", "at", "by", "reversed_at"}

// isUniqueViolation reports whether err is PostgreSQL's unique_violation.
func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}

// Finish implements triage.HistoryLoad: it builds the indexes again with
// memory for every row when they were set aside, and refreshes the
// statistics once for the whole load either way.
func (l *historyLoad) Finish(ctx context.Context) (triage.LoadReport, error) {
	rep := triage.LoadReport{IndexRebuilt: l.rebuild, IndexNote: l.note}
	if l.finished {
		return rep, nil
	}
	l.finished = true
	if l.rebuild {
		return rep, l.s.db.buildIndex(ctx, l.plan.Embedder, l.plan.Dims, l.existing+l.added, true)
	}
	if l.added == 0 {
		return rep, nil
	}
	_, err := l.s.db.Pool.Exec(ctx, analyzeResolutionsSQL)
	return rep, translate(err)
}

package postgres

import (
	"context"
	"fmt"

	"github.com/billtriage/billtriage/triage"
)

// A bulk load of the history (BeginHistoryLoad). Inserting row by row into
// a live HNSW index is what made loads slow: each insert searches the
// on-disk graph, about four times the cost per row of building the graph
// in memory once the rows are in (100k rows: 135 s of inserts against a
// 33 s build). So a large load sets the embedder's index aside and builds
// it again at the end, and a small one goes into the live index, which
// triage keeps using meanwhile.
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
	rebuild  bool  // the index was dropped and must be built again
	note     string
	added    int64
	finished bool
}

// BeginHistoryLoad implements triage.HistoryLoader: it counts the
// embedder's history, decides by the rule above whether to set its index
// aside, and drops it (as the owner) if so.
func (s *Store) BeginHistoryLoad(ctx context.Context, plan triage.HistoryLoadPlan) (triage.HistoryLoad, error) {
	if _, _, _, err := indexSpec(plan.Embedder, plan.Dims); err != nil {
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

// Add implements triage.HistoryLoad.
func (l *historyLoad) Add(ctx context.Context, rs []triage.Resolution) (int, error) {
	n, err := l.s.addResolutions(ctx, rs)
	l.added += int64(n)
	return n, err
}

// Finish implements triage.HistoryLoad: it builds the index again with
// memory for every row when it was set aside, and refreshes the
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

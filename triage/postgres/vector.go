package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strconv"
	"strings"

	"github.com/billtriage/billtriage/triage"
)

// vectorVersionSQL reads the installed pgvector version.
const vectorVersionSQL = `SELECT extversion FROM pg_extension WHERE extname = 'vector'`

// checkVector reads the installed pgvector version. Versions below 0.8.2
// have CVE-2026-3172 in parallel HNSW builds; EnsureIndex builds without
// parallel workers on them, and warns then, when it builds one.
func (db *DB) checkVector(ctx context.Context) error {
	err := db.Pool.QueryRow(ctx, vectorVersionSQL).Scan(&db.VectorVersion)
	if err != nil {
		return triage.Wrap(triage.EUNAVAILABLE, translate(err), "pgvector is not installed in this database; run `make db` or `billtriage migrate`")
	}
	if !VersionAtLeast(db.VectorVersion, 0, 8, 0) {
		return triage.Errorf(triage.EUNAVAILABLE, "pgvector %s is too old: 0.8.0 or newer is needed for iterative index scans", db.VectorVersion)
	}
	if db.ParallelHNSWUnsafe() {
		// Only a build is affected, and EnsureIndex warns when it builds:
		// every command opens the database, and a warning each time about
		// something it does not do taught people to ignore the log.
		db.log.Debug("pgvector below 0.8.2: HNSW indexes will be built without parallel workers (CVE-2026-3172)",
			"pgvector", db.VectorVersion)
	}
	return nil
}

// ParallelHNSWUnsafe reports whether the installed pgvector has
// CVE-2026-3172 (parallel HNSW builds, fixed in 0.8.2).
func (db *DB) ParallelHNSWUnsafe() bool { return !VersionAtLeast(db.VectorVersion, 0, 8, 2) }

// VersionAtLeast compares a dotted version such as "0.8.1" with
// major.minor.patch; unparseable versions compare as too old.
func VersionAtLeast(v string, major, minor, patch int) bool {
	parts := strings.SplitN(v, ".", 3)
	want := []int{major, minor, patch}
	for i := range want {
		n := 0
		if i < len(parts) {
			var err error
			if n, err = strconv.Atoi(strings.TrimLeft(parts[i], "v")); err != nil {
				return false
			}
		}
		if n != want[i] {
			return n > want[i]
		}
	}
	return true
}

var embedderName = regexp.MustCompile(`^[A-Za-z0-9:._/@+-]{1,200}$`)

// The per-embedder index and the queries that must match it. The planner
// only uses a partial expression index when the query spells the same cast
// and predicate as literals, not as parameters, so the dimension and the
// embedder's name are written into the text (see sql.go).
const (
	// embeddingCastSQL views the untyped embedding column at one dimension.
	embeddingCastSQL = `(embedding::vector({dims}))`
	// embedderPredSQL selects one embedder's rows; {embedder} is a quoted
	// literal.
	embedderPredSQL = `embedder = {embedder}`
	// createIndexSQL builds the HNSW cosine index of one embedder.
	createIndexSQL = `CREATE INDEX IF NOT EXISTS {index} ON resolutions USING hnsw ({cast} vector_cosine_ops) WHERE {pred}`
	// indexPrefix starts the name of every per-embedder index.
	indexPrefix = "resolutions_hnsw_"
)

// indexName is the unquoted name of an embedder's index: a hash, as the
// embedder's name may hold characters an identifier cannot.
func indexName(embedder string) string {
	sum := sha256.Sum256([]byte(embedder))
	return indexPrefix + hex.EncodeToString(sum[:])[:10]
}

// indexSpec returns the cast expression and partial-index predicate for
// one embedder, and the index name quoted. Names are checked against a
// strict pattern because they are written into SQL.
func indexSpec(embedder string, dims int) (cast, pred, index string, err error) {
	if !embedderName.MatchString(embedder) || dims < 1 || dims > 16000 {
		return "", "", "", triage.Invalid("embedder", "unusable embedder name %q or dimension %d", embedder, dims)
	}
	index = quoteIdent(indexName(embedder))
	cast = fillSQL(embeddingCastSQL, "{dims}", strconv.Itoa(dims))
	pred = fillSQL(embedderPredSQL, "{embedder}", quoteLiteral(embedder))
	return cast, pred, index, nil
}

// Statements that keep parallel workers out of an HNSW build on pgvector
// versions with CVE-2026-3172; LOCAL, as the build runs in a transaction.
const noParallelBuildSQL = `SET LOCAL max_parallel_maintenance_workers = 0`

// indexExistsSQL reports whether an index of that name exists in the
// connection's schema.
const indexExistsSQL = `SELECT EXISTS (SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() AND indexname = $1)`

// EnsureIndex creates the HNSW cosine index for an embedder if missing.
// Each embedder gets its own partial index over its own dimension, which
// is what lets one table hold vectors of several embedders during a
// re-embedding. Only the table's owner may create an index, so it looks
// first and builds (as the owner, see Options.OwnerURL) only when the
// index is missing: the service's role starts fine once `billtriage
// migrate` has built it.
func (db *DB) EnsureIndex(ctx context.Context, embedder string, dims int) error {
	var exists bool
	if err := db.Pool.QueryRow(ctx, indexExistsSQL, indexName(embedder)).Scan(&exists); err != nil {
		return translate(err)
	}
	if exists {
		return nil
	}
	// A missing index over many rows (a load that was killed while its
	// index was set aside) is built with the bulk load's memory.
	var rows int64
	if err := db.Pool.QueryRow(ctx, embedderRowsSQL, embedder).Scan(&rows); err != nil {
		return translate(err)
	}
	return db.buildIndex(ctx, embedder, dims, rows, false)
}

// Building the index in bulk. pgvector builds an HNSW graph fastest when
// it fits in maintenance_work_mem; past it the build goes on disk and
// slows several-fold. Per row the graph holds the vector (4 bytes a
// dimension) and the level-0 neighbour list (2m = 32 candidates of 16
// bytes) with headers: indexRowOverhead rounds that up with room to spare.
const (
	indexRowOverhead = 1024
	// minIndexMemory is PostgreSQL's default maintenance_work_mem.
	minIndexMemory = 64 << 20
	// DefaultIndexBuildMemory caps what an index build may ask for; 4 GB
	// fits a million 512-dimension rows.
	DefaultIndexBuildMemory = 4 << 30
	// setBuildMemorySQL sizes the build; {kb} is a number from strconv.
	setBuildMemorySQL = `SET LOCAL maintenance_work_mem = '{kb}kB'`
	// embedderRowsSQL counts the rows an embedder's partial index covers.
	embedderRowsSQL = `SELECT count(*) FROM resolutions WHERE embedder = $1`
	// dropIndexSQL sets an embedder's index aside during a bulk load.
	dropIndexSQL = `DROP INDEX IF EXISTS {index}`
	// analyzeSQL refreshes statistics, as the owner, after a bulk build.
	analyzeSQL = `ANALYZE resolutions`
)

// indexBuildMemory is the maintenance_work_mem for building an index over
// rows vectors of dims dimensions, in bytes, within [64 MB, the cap].
func (db *DB) indexBuildMemory(rows int64, dims int) int64 {
	want := rows * int64(dims*4+indexRowOverhead)
	limit := db.IndexBuildMemory
	if limit <= 0 {
		limit = DefaultIndexBuildMemory
	}
	return max(minIndexMemory, min(want, limit))
}

// buildIndex creates an embedder's index as the owner, sized for rows,
// serially on pgvector versions with CVE-2026-3172, and with analyze also
// refreshes the statistics in the same transaction.
func (db *DB) buildIndex(ctx context.Context, embedder string, dims int, rows int64, analyze bool) error {
	cast, pred, index, err := indexSpec(embedder, dims)
	if err != nil {
		return err
	}
	kb := strconv.FormatInt(db.indexBuildMemory(rows, dims)>>10, 10)
	stmts := []string{fillSQL(setBuildMemorySQL, "{kb}", kb)}
	if db.ParallelHNSWUnsafe() {
		// Said once, when an index is actually built (the CLI engineer's
		// rule: not on every command that opens the database).
		db.log.Warn("pgvector below 0.8.2 has CVE-2026-3172 in parallel HNSW builds; building this index without parallel workers",
			"pgvector", db.VectorVersion, "embedder", embedder)
		stmts = append(stmts, noParallelBuildSQL)
	}
	stmts = append(stmts, fillSQL(createIndexSQL, "{index}", index, "{cast}", cast, "{pred}", pred))
	if analyze {
		stmts = append(stmts, analyzeSQL)
	}
	return db.ownerExec(ctx, stmts...)
}

// dropIndex drops an embedder's index as the owner.
func (db *DB) dropIndex(ctx context.Context, embedder string) error {
	_, _, index, err := indexSpec(embedder, 1)
	if err != nil {
		return err
	}
	return db.ownerExec(ctx, fillSQL(dropIndexSQL, "{index}", index))
}

// ownsHistorySQL reports whether the pool's role may change the
// resolutions table (owns it, or is a member of the role that does).
const ownsHistorySQL = `SELECT pg_has_role(current_user, c.relowner, 'USAGE') FROM pg_class c WHERE c.oid = 'resolutions'::regclass`

// canChangeIndex reports whether DDL on the history can run: through the
// owner's connection when one was given, else when the pool's own role
// owns the table (a one-role setup).
func (db *DB) canChangeIndex(ctx context.Context) (bool, error) {
	if db.owner != nil {
		return true, nil
	}
	var ok bool
	err := db.Pool.QueryRow(ctx, ownsHistorySQL).Scan(&ok)
	return ok, translate(err)
}

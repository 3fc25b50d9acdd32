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

// The per-embedder, per-type indexes and the queries that must match them.
// The planner only uses a partial expression index when the query spells
// the same cast and predicate as literals, not as parameters, so the
// dimension, the embedder's name and the type are written into the text
// (see sql.go).
//
// Why one index per type: triage always searches within the exception's
// type. One index per embedder answered that by scanning the whole graph
// and discarding other types' rows (pgvector's iterative scan): a query
// far from its type's region visited tens of thousands of rows (982 ms at
// 100k) and still missed neighbours, and the rare type `other` waited on
// the common ones. A graph holding only the type's rows has nothing to
// discard (BENCHMARKS.md, "kNN (issue 16)"). Types are a small fixed enum,
// so the indexes are few, and together they hold each row once, as the
// single index did.
const (
	// embeddingCastSQL views the untyped embedding column at one dimension.
	embeddingCastSQL = `(embedding::vector({dims}))`
	// embedderPredSQL selects one embedder's rows; {embedder} is a quoted
	// literal.
	embedderPredSQL = `embedder = {embedder}`
	// typePredSQL selects one type's rows; {type} is a quoted literal.
	typePredSQL = `type = {type}`
	// createIndexSQL builds the HNSW cosine index of one embedder's rows
	// of one type.
	createIndexSQL = `CREATE INDEX IF NOT EXISTS {index} ON resolutions USING hnsw ({cast} vector_cosine_ops) WHERE {pred} AND {typePred}`
	// indexPrefix starts the name of every per-embedder index.
	indexPrefix = "resolutions_hnsw_"
)

// legacyIndexName is the unquoted name of the single per-embedder index
// of the earlier layout: a hash, as the embedder's name may hold
// characters an identifier cannot. EnsureIndex drops it once the per-type
// indexes are built.
func legacyIndexName(embedder string) string {
	sum := sha256.Sum256([]byte(embedder))
	return indexPrefix + hex.EncodeToString(sum[:])[:10]
}

// indexName is the unquoted name of the index of an embedder's rows of
// type t. Types are lower-case identifiers, and the longest name stays
// under PostgreSQL's 63 bytes.
func indexName(embedder string, t triage.Type) string {
	return legacyIndexName(embedder) + "_" + string(t)
}

// indexNames lists the per-type index names of an embedder, in
// triage.Types order.
func indexNames(embedder string) []string {
	names := make([]string, len(triage.Types))
	for i, t := range triage.Types {
		names[i] = indexName(embedder, t)
	}
	return names
}

// indexSpec returns the cast expression and the embedder's predicate.
// Names are checked against a strict pattern because they are written
// into SQL.
func indexSpec(embedder string, dims int) (cast, pred string, err error) {
	if !embedderName.MatchString(embedder) || dims < 1 || dims > 16000 {
		return "", "", triage.Invalid("embedder", "unusable embedder name %q or dimension %d", embedder, dims)
	}
	cast = fillSQL(embeddingCastSQL, "{dims}", strconv.Itoa(dims))
	pred = fillSQL(embedderPredSQL, "{embedder}", quoteLiteral(embedder))
	return cast, pred, nil
}

// typePred returns the predicate of type t's index; t must be one of
// triage.Types, the only values written into SQL.
func typePred(t triage.Type) (string, error) {
	if !t.Valid() {
		return "", triage.Invalid("type", "unknown type %q", t)
	}
	return fillSQL(typePredSQL, "{type}", quoteLiteral(string(t))), nil
}

// Statements that keep parallel workers out of an HNSW build on pgvector
// versions with CVE-2026-3172; LOCAL, as the build runs in a transaction.
const noParallelBuildSQL = `SET LOCAL max_parallel_maintenance_workers = 0`

// indexesExistSQL counts which of the named indexes exist in the
// connection's schema.
const indexesExistSQL = `SELECT count(*) FILTER (WHERE indexname = ANY($1)), count(*) FILTER (WHERE indexname = $2)
	FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'resolutions'`

// EnsureIndex creates the HNSW cosine indexes of an embedder, one per
// type, if any is missing, and drops the earlier layout's single index.
// Each embedder gets its own partial indexes over its own dimension, which
// is what lets one table hold vectors of several embedders during a
// re-embedding. Only the table's owner may create an index, so it looks
// first and builds (as the owner, see Options.OwnerURL) only when one is
// missing: the service's role starts fine once `billtriage migrate` has
// built them.
func (db *DB) EnsureIndex(ctx context.Context, embedder string, dims int) error {
	var have, legacy int
	if err := db.Pool.QueryRow(ctx, indexesExistSQL, indexNames(embedder), legacyIndexName(embedder)).Scan(&have, &legacy); err != nil {
		return translate(err)
	}
	if have == len(triage.Types) && legacy == 0 {
		return nil
	}
	if legacy > 0 {
		// An upgraded schema: the single index still serves Nearest (its
		// predicate is implied by the per-type query's), only slower, so
		// a role that may not change it starts anyway.
		if ok, err := db.canChangeIndex(ctx); err != nil || !ok {
			db.log.Warn("the history still has one HNSW index for all types; run `billtriage migrate` as the owner to build one per type",
				"embedder", embedder)
			return err
		}
	}
	// A missing index over many rows (a load that was killed while its
	// indexes were set aside) is built with the bulk load's memory.
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
	// embedderRowsSQL counts the rows an embedder's partial indexes cover.
	embedderRowsSQL = `SELECT count(*) FROM resolutions WHERE embedder = $1`
	// dropIndexSQL sets one of an embedder's indexes aside during a bulk
	// load.
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

// buildIndex creates an embedder's missing per-type indexes as the owner,
// in one transaction, sized for rows, serially on pgvector versions with
// CVE-2026-3172, then drops the earlier layout's single index, and with
// analyze also refreshes the statistics in the same transaction.
func (db *DB) buildIndex(ctx context.Context, embedder string, dims int, rows int64, analyze bool) error {
	cast, pred, err := indexSpec(embedder, dims)
	if err != nil {
		return err
	}
	// Each build holds one type's graph at a time; sizing for all rows
	// over-asks, but pgvector only takes the memory the graph needs.
	kb := strconv.FormatInt(db.indexBuildMemory(rows, dims)>>10, 10)
	stmts := []string{fillSQL(setBuildMemorySQL, "{kb}", kb)}
	if db.ParallelHNSWUnsafe() {
		// Said once, when an index is actually built (the CLI engineer's
		// rule: not on every command that opens the database).
		db.log.Warn("pgvector below 0.8.2 has CVE-2026-3172 in parallel HNSW builds; building this index without parallel workers",
			"pgvector", db.VectorVersion, "embedder", embedder)
		stmts = append(stmts, noParallelBuildSQL)
	}
	for _, t := range triage.Types {
		tp, err := typePred(t)
		if err != nil {
			return err
		}
		stmts = append(stmts, fillSQL(createIndexSQL, "{index}", quoteIdent(indexName(embedder, t)), "{cast}", cast, "{pred}", pred, "{typePred}", tp))
	}
	stmts = append(stmts, fillSQL(dropIndexSQL, "{index}", quoteIdent(legacyIndexName(embedder))))
	if analyze {
		stmts = append(stmts, analyzeSQL)
	}
	return db.ownerExec(ctx, stmts...)
}

// dropIndex drops an embedder's indexes, the earlier layout's too, as the
// owner.
func (db *DB) dropIndex(ctx context.Context, embedder string) error {
	if _, _, err := indexSpec(embedder, 1); err != nil {
		return err
	}
	stmts := []string{fillSQL(dropIndexSQL, "{index}", quoteIdent(legacyIndexName(embedder)))}
	for _, name := range indexNames(embedder) {
		stmts = append(stmts, fillSQL(dropIndexSQL, "{index}", quoteIdent(name)))
	}
	return db.ownerExec(ctx, stmts...)
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

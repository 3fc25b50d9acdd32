package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/billtriage/billtriage/triage"
)

// checkVector reads the installed pgvector version. Versions below 0.8.2
// have CVE-2026-3172 in parallel HNSW builds: we warn, and EnsureIndex
// builds without parallel workers on them.
func (db *DB) checkVector(ctx context.Context) error {
	err := db.Pool.QueryRow(ctx, "SELECT extversion FROM pg_extension WHERE extname = 'vector'").Scan(&db.VectorVersion)
	if err != nil {
		return triage.Wrap(triage.EUNAVAILABLE, translate(err), "pgvector is not installed in this database; run `make db` or `billtriage migrate`")
	}
	if !VersionAtLeast(db.VectorVersion, 0, 8, 0) {
		return triage.Errorf(triage.EUNAVAILABLE, "pgvector %s is too old: 0.8.0 or newer is needed for iterative index scans", db.VectorVersion)
	}
	if db.ParallelHNSWUnsafe() {
		db.log.Warn("pgvector below 0.8.2 has CVE-2026-3172 in parallel HNSW builds; building indexes without parallel workers",
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

// indexSpec returns the cast expression and partial-index predicate for
// one embedder. Names are checked against a strict pattern because they are
// written into SQL: the planner only uses a partial index whose predicate
// it can prove from literals, not from parameters.
func indexSpec(embedder string, dims int) (cast, pred, name string, err error) {
	if !embedderName.MatchString(embedder) || dims < 1 || dims > 16000 {
		return "", "", "", triage.Invalid("embedder", "unusable embedder name %q or dimension %d", embedder, dims)
	}
	sum := sha256.Sum256([]byte(embedder))
	name = "resolutions_hnsw_" + hex.EncodeToString(sum[:])[:10]
	cast = fmt.Sprintf("(embedding::vector(%d))", dims)
	pred = fmt.Sprintf("embedder = '%s'", embedder)
	return cast, pred, name, nil
}

// EnsureIndex creates the HNSW cosine index for an embedder if missing.
// Each embedder gets its own partial index over its own dimension, which
// is what lets one table hold vectors of several embedders during a
// re-embedding.
func (db *DB) EnsureIndex(ctx context.Context, embedder string, dims int) error {
	cast, pred, name, err := indexSpec(embedder, dims)
	if err != nil {
		return err
	}
	conn, err := db.Pool.Acquire(ctx)
	if err != nil {
		return translate(err)
	}
	defer conn.Release()
	if db.ParallelHNSWUnsafe() {
		if _, err := conn.Exec(ctx, "SET max_parallel_maintenance_workers = 0"); err != nil {
			return translate(err)
		}
		defer conn.Exec(context.WithoutCancel(ctx), "RESET max_parallel_maintenance_workers")
	}
	sql := fmt.Sprintf("CREATE INDEX IF NOT EXISTS %s ON resolutions USING hnsw (%s vector_cosine_ops) WHERE %s", name, cast, pred)
	_, err = conn.Exec(ctx, sql)
	return translate(err)
}

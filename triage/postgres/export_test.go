package postgres

// NearestSQL exposes the nearest-neighbour statement to the external
// tests, which EXPLAIN it to check that it reads the per-type index.
var NearestSQL = nearestSQL

// SchemaOf exposes a DB's isolated schema, so a test can open a second
// pool on it.
func SchemaOf(db *DB) string { return db.schema }

// Package postgres implements the triage stores on PostgreSQL with
// pgvector. It is the only package that imports pgx and pgvector-go.
package postgres

import (
	"context"
	"log/slog"
	"regexp"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	pgxvec "github.com/pgvector/pgvector-go/pgx"

	"github.com/billtriage/billtriage/triage"
)

// DB is a connection pool to the billtriage schema.
type DB struct {
	Pool   *pgxpool.Pool
	schema string
	log    *slog.Logger
	// owner connects as the schema's owner for DDL (Options.OwnerURL);
	// nil when the pool's own role does it.
	owner *pgx.ConnConfig
	// VectorVersion is the installed pgvector version, read at Open.
	VectorVersion string
	// IndexBuildMemory caps the maintenance_work_mem of an HNSW build, in
	// bytes; 0 means DefaultIndexBuildMemory. Set it before loading.
	IndexBuildMemory int64
	// EfSearch is the HNSW search breadth of Nearest (hnsw.ef_search, at
	// most 1000); 0 means DefaultEfSearch. Set it before serving.
	EfSearch int
	readerState
}

// Options configures Open.
type Options struct {
	// Schema, when set, confines every table to that schema (created if
	// missing). Tests and eval runs use it for isolation.
	Schema string
	// Migrate applies pending migrations before the pool opens. Without
	// OwnerURL it first asks whether any are pending, so that a service
	// role that may not migrate still opens an up-to-date schema.
	Migrate bool
	// OwnerURL connects as the role that owns the schema. When set,
	// migrations, index builds (EnsureIndex) and DropSchema go through it,
	// and after migrating it grants the pool's role the service's
	// privileges (roles.go). When empty they run as the pool's role, which
	// then has to own the schema: a one-role setup.
	OwnerURL string
	Logger   *slog.Logger
	// MaxConns bounds the pool; 0 keeps pgx's default.
	MaxConns int32
	// Tracer, when set, sees every statement the pool sends: the triage
	// profile (`make bench-triage`) counts round trips per POST with it.
	Tracer pgx.QueryTracer
	// ReadURL, when set, is a hot standby of the same database: the reads
	// that tolerate a little lag go there (read.go), falling back to the
	// primary when it fails.
	ReadURL string
}

var schemaName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// Open connects to url, optionally migrates, and checks pgvector.
func Open(ctx context.Context, url string, opt Options) (*DB, error) {
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Schema != "" && !schemaName.MatchString(opt.Schema) {
		return nil, triage.Invalid("schema", "%q is not a plain lower-case identifier", opt.Schema)
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, triage.Wrap(triage.EINVALID, err, "invalid database URL")
	}
	if opt.Schema != "" {
		cfg.ConnConfig.RuntimeParams["search_path"] = searchPath(opt.Schema)
	}
	if opt.MaxConns > 0 {
		cfg.MaxConns = opt.MaxConns
	}
	if opt.Tracer != nil {
		cfg.ConnConfig.Tracer = opt.Tracer
	}
	db := &DB{schema: opt.Schema, log: opt.Logger}
	if opt.OwnerURL != "" {
		if db.owner, err = pgx.ParseConfig(opt.OwnerURL); err != nil {
			return nil, triage.Wrap(triage.EINVALID, err, "invalid owner (migration) database URL")
		}
		if opt.Schema != "" {
			db.owner.RuntimeParams["search_path"] = searchPath(opt.Schema)
		}
	}
	if opt.Migrate {
		if err := db.migrate(ctx, cfg.ConnConfig); err != nil {
			return nil, err
		}
	}
	cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error { return pgxvec.RegisterTypes(ctx, c) }
	if db.Pool, err = pgxpool.NewWithConfig(ctx, cfg); err != nil {
		return nil, triage.Wrap(triage.EUNAVAILABLE, err, "connect to database")
	}
	if err := db.checkVector(ctx); err != nil {
		db.Pool.Close()
		return nil, err
	}
	if opt.ReadURL != "" {
		if err := db.openReader(ctx, opt.ReadURL, opt); err != nil {
			db.Pool.Close()
			return nil, err
		}
	}
	return db, nil
}

// Close closes the pools.
func (db *DB) Close() {
	if db.Read != nil {
		db.Read.Close()
	}
	db.Pool.Close()
}

// Ping checks the database answers; readiness probes use it.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.Pool.Ping(ctx); err != nil {
		return triage.Wrap(triage.EUNAVAILABLE, err, "database unreachable")
	}
	return nil
}

// dropSchemaSQL drops the isolated schema; {schema} is its quoted name,
// as DDL takes no parameters.
const dropSchemaSQL = `DROP SCHEMA IF EXISTS {schema} CASCADE`

// DropSchema drops the isolated schema and everything in it, as the owner
// when Options.OwnerURL was given. Tests and the eval harness call it when
// done.
func (db *DB) DropSchema(ctx context.Context) error {
	if db.schema == "" {
		return triage.Errorf(triage.EINVALID, "refusing to drop: no isolated schema")
	}
	return db.ownerExec(ctx, fillSQL(dropSchemaSQL, "{schema}", quoteIdent(db.schema)))
}

// ownerExec runs DDL in one transaction as the schema's owner: over a
// connection of its own when an owner URL was given, else on the pool. A
// refusal for want of privilege says which role would have been needed.
func (db *DB) ownerExec(ctx context.Context, stmts ...string) error {
	run := func(tx pgx.Tx) error {
		for _, q := range stmts {
			if _, err := tx.Exec(ctx, q); err != nil {
				return err
			}
		}
		return nil
	}
	var err error
	if db.owner != nil {
		var conn *pgx.Conn
		if conn, err = pgx.ConnectConfig(ctx, db.owner); err != nil {
			return triage.Wrap(triage.EUNAVAILABLE, err, "connect to database as the owner")
		}
		defer conn.Close(context.WithoutCancel(ctx))
		err = pgx.BeginFunc(ctx, conn, run)
	} else {
		err = pgx.BeginFunc(ctx, db.Pool, run)
	}
	if isPrivilegeError(err) {
		return needOwner(err, db.role())
	}
	return translate(err)
}

// role is the role the pool connects as.
func (db *DB) role() string { return db.Pool.Config().ConnConfig.User }

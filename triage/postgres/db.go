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
	// VectorVersion is the installed pgvector version, read at Open.
	VectorVersion string
}

// Options configures Open.
type Options struct {
	// Schema, when set, confines every table to that schema (created if
	// missing). Tests and eval runs use it for isolation.
	Schema string
	// Migrate applies pending migrations before the pool opens.
	Migrate bool
	Logger  *slog.Logger
	// MaxConns bounds the pool; 0 keeps pgx's default.
	MaxConns int32
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
	db := &DB{schema: opt.Schema, log: opt.Logger}
	if opt.Migrate {
		if err := migrate(ctx, cfg.ConnConfig, opt.Schema); err != nil {
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
	return db, nil
}

// Close closes the pool.
func (db *DB) Close() { db.Pool.Close() }

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

// DropSchema drops the isolated schema and everything in it. Tests and the
// eval harness call it when done.
func (db *DB) DropSchema(ctx context.Context) error {
	if db.schema == "" {
		return triage.Errorf(triage.EINVALID, "refusing to drop: no isolated schema")
	}
	_, err := db.Pool.Exec(ctx, fillSQL(dropSchemaSQL, "{schema}", quoteIdent(db.schema)))
	return translate(err)
}

package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/billtriage/billtriage/migrations"
	"github.com/billtriage/billtriage/triage"
)

// createSchemaSQL creates the isolated schema; {schema} is its quoted
// name, as DDL takes no parameters.
const createSchemaSQL = `CREATE SCHEMA IF NOT EXISTS {schema}`

// migrate applies the embedded migrations with goose over a dedicated
// connection, before the pool exists: the pool registers the vector type on
// connect, which needs the extension the first migration creates.
func migrate(ctx context.Context, cc *pgx.ConnConfig, schema string) error {
	cc = cc.Copy()
	if schema != "" {
		conn, err := pgx.ConnectConfig(ctx, cc)
		if err != nil {
			return triage.Wrap(triage.EUNAVAILABLE, err, "connect to database")
		}
		_, err = conn.Exec(ctx, fillSQL(createSchemaSQL, "{schema}", quoteIdent(schema)))
		conn.Close(ctx)
		if err != nil {
			return triage.Wrap(triage.EINTERNAL, err, "create schema %s", schema)
		}
	}
	sqldb := stdlib.OpenDB(*cc)
	defer sqldb.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, sqldb, migrations.FS)
	if err != nil {
		return triage.Wrap(triage.EINTERNAL, err, "load migrations")
	}
	if _, err := p.Up(ctx); err != nil {
		return triage.Wrap(triage.EUNAVAILABLE, err, "apply migrations")
	}
	return nil
}

// Migrate applies pending migrations to url (in schema, if set).
func Migrate(ctx context.Context, url, schema string) error {
	cc, err := pgx.ParseConfig(url)
	if err != nil {
		return triage.Wrap(triage.EINVALID, err, "invalid database URL")
	}
	if schema != "" {
		// The same rule as Open: a name Open would refuse must not get a
		// schema and a migrated set of tables first.
		if !schemaName.MatchString(schema) {
			return triage.Invalid("schema", "%q is not a plain lower-case identifier", schema)
		}
		cc.RuntimeParams["search_path"] = searchPath(schema)
	}
	return migrate(ctx, cc, schema)
}

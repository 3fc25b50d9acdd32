package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/billtriage/billtriage/migrations"
	"github.com/billtriage/billtriage/triage"
)

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
		_, err = conn.Exec(ctx, fmt.Sprintf("CREATE SCHEMA IF NOT EXISTS %s", pgx.Identifier{schema}.Sanitize()))
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
		cc.RuntimeParams["search_path"] = schema + ", public"
	}
	return migrate(ctx, cc, schema)
}

package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/billtriage/billtriage/migrations"
	"github.com/billtriage/billtriage/triage"
)

// createSchemaSQL creates the isolated schema; {schema} is its quoted
// name, as DDL takes no parameters.
const createSchemaSQL = `CREATE SCHEMA IF NOT EXISTS {schema}`

// versionTableSQL reports whether goose's version table exists in the
// schema, or in the current one when $1 is empty. The schema is named
// rather than left to the search path, which falls through to public
// while the isolated schema does not exist yet.
const versionTableSQL = `SELECT EXISTS (SELECT 1 FROM pg_tables
	WHERE schemaname = coalesce(nullif($1, ''), current_schema()) AND tablename = 'goose_db_version')`

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
		if isPrivilegeError(err) {
			return needOwner(err, cc.User)
		}
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
		if isPrivilegeError(err) {
			return needOwner(err, cc.User)
		}
		return triage.Wrap(triage.EUNAVAILABLE, err, "apply migrations")
	}
	return migrateRiver(ctx, cc, schema)
}

// pending reports whether the schema lacks migrations. It only reads, so
// a role that may not migrate can ask: goose's own check would try to
// create the version table when it is missing.
func pending(ctx context.Context, cc *pgx.ConnConfig, schema string) (bool, error) {
	sqldb := stdlib.OpenDB(*cc.Copy())
	defer sqldb.Close()
	var exists bool
	if err := sqldb.QueryRowContext(ctx, versionTableSQL, schema).Scan(&exists); err != nil {
		return false, triage.Wrap(triage.EUNAVAILABLE, err, "connect to database")
	}
	if !exists {
		return true, nil
	}
	p, err := goose.NewProvider(goose.DialectPostgres, sqldb, migrations.FS)
	if err != nil {
		return false, triage.Wrap(triage.EINTERNAL, err, "load migrations")
	}
	has, err := p.HasPending(ctx)
	if err != nil {
		return false, triage.Wrap(triage.EUNAVAILABLE, err, "read the migration version")
	}
	return has, nil
}

// migrate brings the schema up to date for a pool that will connect with
// app. With an owner URL the owner migrates and then grants app's role the
// service's privileges, every time, so that tables a migration added are
// covered. Without one, app's role migrates only when something is
// pending: a service role that owns nothing opens an up-to-date schema and
// is told to run `billtriage migrate` as the owner otherwise.
func (db *DB) migrate(ctx context.Context, app *pgx.ConnConfig) error {
	if db.owner == nil {
		todo, err := pending(ctx, app, db.schema)
		if err != nil || !todo {
			return err
		}
		return migrate(ctx, app, db.schema)
	}
	if err := migrate(ctx, db.owner, db.schema); err != nil {
		return err
	}
	if app.User == db.owner.User {
		return nil // one role: it owns everything already
	}
	conn, err := pgx.ConnectConfig(ctx, db.owner)
	if err != nil {
		return triage.Wrap(triage.EUNAVAILABLE, err, "connect to database as the owner")
	}
	defer conn.Close(context.WithoutCancel(ctx))
	return grantApp(ctx, conn, app.User)
}

// Migrate applies pending migrations to url (in schema, if set) as url's
// role, which must be allowed to create the schema's objects. It grants
// nothing; Open with Options.OwnerURL migrates and grants.
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

// isPrivilegeError reports whether PostgreSQL refused err's statement for
// want of privilege or ownership.
func isPrivilegeError(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "42501"
}

// needOwner explains a refusal that only the schema's owner can get past:
// the service's role is meant to be refused, and the fix is to run the
// step with the owner's URL.
func needOwner(err error, role string) error {
	return triage.Wrap(triage.EFORBIDDEN, err, "database role %q may not change the schema (it is not the owner): "+
		"run `billtriage migrate` with BILLTRIAGE_MIGRATE_URL (or --migrate-url) set to the owner's URL, "+
		"or give this command that URL too", role)
}

// Package pgtest gives tests an isolated schema in the real PostgreSQL +
// pgvector database named by DATABASE_URL.
//
// The schema is created and migrated by the owner role
// (BILLTRIAGE_MIGRATE_URL) and the pool handed to the test connects as the
// service's role (DATABASE_URL), as the service does: the tests run with
// the privileges the service really has, not the owner's.
//
// When the database is unreachable a test is skipped on a developer's
// machine but fails when CI=true, so CI can never pass without running the
// database tests.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/billtriage/billtriage/internal/testenv"
	"github.com/billtriage/billtriage/triage/postgres"
)

// DefaultURL is the service's role in the local database `make db`
// creates.
const DefaultURL = "postgres://billtriage_app@127.0.0.1:5432/billtriage?sslmode=disable"

// DefaultOwnerURL is the owner role in the local database `make db`
// creates.
const DefaultOwnerURL = "postgres://billtriage_owner@127.0.0.1:5432/billtriage?sslmode=disable"

// URL returns DATABASE_URL or DefaultURL: the service's role.
func URL() string {
	if u := os.Getenv("DATABASE_URL"); u != "" {
		return u
	}
	return DefaultURL
}

// OwnerURL returns the URL of the role that owns the schemas:
// BILLTRIAGE_MIGRATE_URL; else DATABASE_URL when that is set, as a
// one-role setup (such as docker compose's superuser) gives only that;
// else DefaultOwnerURL.
func OwnerURL() string {
	if u := os.Getenv("BILLTRIAGE_MIGRATE_URL"); u != "" {
		return u
	}
	if u := os.Getenv("DATABASE_URL"); u != "" {
		return u
	}
	return DefaultOwnerURL
}

// DefaultAdminURL is the superuser of the local server `make db` sets up.
const DefaultAdminURL = "postgres://postgres@127.0.0.1:5432/billtriage?sslmode=disable"

// AdminURL returns DB_ADMIN_URL or DefaultAdminURL: a superuser, for the
// few tests that must do what neither of the service's roles may, such as
// making a database of their own refuse connections.
func AdminURL() string {
	if u := os.Getenv("DB_ADMIN_URL"); u != "" {
		return u
	}
	return DefaultAdminURL
}

// Open returns a migrated DB confined to a fresh schema that is dropped
// when the test ends. Its pool connects as URL's role; the schema belongs
// to OwnerURL's role, which also builds indexes and drops the schema.
func Open(tb testing.TB) *postgres.DB {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	schema := NewSchemaName("t")
	db, err := postgres.Open(ctx, URL(), postgres.Options{Schema: schema, Migrate: true, OwnerURL: OwnerURL(), MaxConns: 8})
	if err != nil {
		Unavailable(tb, err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := db.DropSchema(ctx); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
		db.Close()
	})
	return db
}

// Unavailable ends the test because the database is missing: a failure
// under CI=true, a skip elsewhere.
func Unavailable(tb testing.TB, err error) {
	tb.Helper()
	testenv.Missing(tb, "PostgreSQL with pgvector (run `make db`): %v", err)
}

// NewSchemaName returns a unique schema name with the given prefix.
func NewSchemaName(prefix string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return prefix + "_" + hex.EncodeToString(b)
}

// Package pgtest gives tests an isolated schema in the real PostgreSQL +
// pgvector database named by DATABASE_URL.
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

	"github.com/billtriage/billtriage/triage/postgres"
)

// DefaultURL is the local database `make db` creates.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/billtriage?sslmode=disable"

// URL returns DATABASE_URL or DefaultURL.
func URL() string {
	if u := os.Getenv("DATABASE_URL"); u != "" {
		return u
	}
	return DefaultURL
}

// Open returns a migrated DB confined to a fresh schema that is dropped
// when the test ends.
func Open(tb testing.TB) *postgres.DB {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	schema := NewSchemaName("t")
	db, err := postgres.Open(ctx, URL(), postgres.Options{Schema: schema, Migrate: true, MaxConns: 8})
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
	if os.Getenv("CI") != "" {
		tb.Fatalf("PostgreSQL with pgvector is required (run `make db`): %v", err)
	}
	tb.Skipf("no PostgreSQL with pgvector (run `make db`; under CI=true this fails): %v", err)
}

// NewSchemaName returns a unique schema name with the given prefix.
func NewSchemaName(prefix string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return prefix + "_" + hex.EncodeToString(b)
}

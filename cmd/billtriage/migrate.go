package main

import (
	"context"
	"fmt"

	"github.com/billtriage/billtriage/triage/postgres"
)

// runMigrate migrates as the schema's owner (--migrate-url, else
// --database-url), grants the role of --database-url the service's
// privileges, and builds the configured embedder's index, so that the
// service can then run with no right to change the schema.
func runMigrate(ctx context.Context, args []string, std Stdio, getenv func(string) string) error {
	var cfg Config
	fs := newFlags("migrate", std)
	cfg.bindGroups(fs, getenv, dbFlags|schemaFlag|indexFlags|logFlag)
	fs.about = "Runs as --migrate-url when given (else --database-url), grants --database-url's role the\nservice's privileges, and builds the HNSW index of the embedder that --embedder names."
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	emb, err := newEmbedder(cfg)
	if err != nil {
		return err
	}
	db, err := postgres.Open(ctx, cfg.DatabaseURL, postgres.Options{Schema: cfg.Schema, Migrate: true,
		OwnerURL: cfg.ownerURL(), Logger: cfg.logger(std.Err)})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.EnsureIndex(ctx, emb.Name(), emb.Dims()); err != nil {
		return err
	}
	fmt.Fprintf(std.Out, "migrations applied (pgvector %s)\n", db.VectorVersion)
	return nil
}

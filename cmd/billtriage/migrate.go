package main

import (
	"context"
	"fmt"

	"github.com/billtriage/billtriage/triage/postgres"
)

func runMigrate(ctx context.Context, args []string, std Stdio, getenv func(string) string) error {
	var cfg Config
	fs := newFlags("migrate", std)
	cfg.bind(fs, getenv)
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := postgres.Migrate(ctx, cfg.DatabaseURL, cfg.Schema); err != nil {
		return err
	}
	db, err := postgres.Open(ctx, cfg.DatabaseURL, postgres.Options{Schema: cfg.Schema, Logger: cfg.logger(std.Err)})
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(std.Out, "migrations applied (pgvector %s)\n", db.VectorVersion)
	return nil
}

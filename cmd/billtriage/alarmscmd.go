package main

import (
	"context"
	"encoding/json"
	"flag"

	"github.com/billtriage/billtriage/embeddings"
	"github.com/billtriage/billtriage/triage"
)

// runAlarms runs the drift alarms' check once, as serve's periodic job
// does (for a cron without serve, or to look now), and prints what it
// measured, raised and resolved as JSON.
func runAlarms(ctx context.Context, args []string, std Stdio, getenv func(string) string) error {
	sub, rest, err := subcommand(newFlags("alarms", std), args, []string{"check"})
	if err != nil {
		return err
	}
	var cfg Config
	if sub == "" {
		fs := newFlags("alarms", std)
		cfg.bindGroups(fs, getenv, storeFlags|policyFlag)
		fs.printHelp(std.Out)
		return flag.ErrHelp
	}
	fs := newFlags("alarms "+sub, std)
	cfg.bindGroups(fs, getenv, storeFlags|policyFlag)
	if err := fs.parseFlags(rest); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fs.usageError("unexpected arguments: %v", fs.Args())
	}
	pol, err := loadPolicy(cfg.PolicyFile)
	if err != nil {
		return err
	}
	st, closeDB, err := cfg.openStore(ctx, std.Err)
	if err != nil {
		return err
	}
	defer closeDB()
	if pol, err = choosePolicy(ctx, cfg.PolicyFile, pol, st); err != nil {
		return err
	}
	// The check embeds nothing; the service only needs an embedder to
	// exist.
	emb, err := embeddings.NewLocal(cfg.EmbedDims)
	if err != nil {
		return err
	}
	svc := triage.NewService(triage.Config{Store: st, Embedder: emb, Policy: pol, Policies: st, Outbox: st, Alarms: st,
		Logger: cfg.logger(std.Err)})
	rep, err := svc.CheckAlarms(ctx)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(std.Out)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

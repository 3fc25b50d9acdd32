package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/billtriage/billtriage/triage"
)

// runDrift looks for schema drift once, as serve's periodic job does, and
// prints the new findings as JSON lines; with --list it prints the
// findings of the last days instead.
func runDrift(ctx context.Context, args []string, std Stdio, getenv func(string) string) error {
	var cfg Config
	fs := newFlags("drift", std)
	cfg.bind(fs, getenv)
	list := fs.Int("list", 0, "print the findings of the last `N` days instead of looking for new ones")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *list < 0 || *list > 366 {
		return fs.usageError("--list must be between 1 and 366 days")
	}
	a, err := openApp(ctx, cfg, cfg.logger(std.Err))
	if err != nil {
		return err
	}
	defer a.Close()
	var fs2 []triage.DriftFinding
	if *list > 0 {
		fs2, err = a.svc.DriftFindings(ctx, triage.System("drift"), *list)
	} else {
		fs2, err = a.svc.DetectDrift(ctx)
	}
	if err != nil {
		return err
	}
	enc := json.NewEncoder(std.Out)
	for _, f := range fs2 {
		if err := enc.Encode(f); err != nil {
			return err
		}
	}
	fmt.Fprintf(std.Err, "billtriage drift: %d findings\n", len(fs2))
	return nil
}

package main

import (
	"context"
	"os"
	"path/filepath"

	"github.com/billtriage/billtriage/dataset/generate"
	"github.com/billtriage/billtriage/eval"
	"github.com/billtriage/billtriage/triage"
)

// runEvalDrift replays the schema-drift detector day by day over a
// history and scores it against the generator's seeded drift, if any:
// without one, every finding is a false alarm.
func runEvalDrift(_ context.Context, args []string, std Stdio, _ func(string) string) error {
	fs := newFlags("eval drift", std)
	exceptions := fs.String("exceptions", "", "dataset format v1 JSONL (required)")
	truthPath := fs.String("drift-truth", "", "generate --drift's drift_truth.csv (default: beside --exceptions when there)")
	out := fs.String("out", "", "directory to write drift.json to (optional)")
	fs.about = "Replays the schema-drift detector once a day over the history and reports the seeded drift found, " +
		"how soon, and the false alarms. Needs no database."
	var cfg triage.DriftConfig
	fs.IntVar(&cfg.Current, "current", 20, "a source's latest records compared with its baseline")
	fs.IntVar(&cfg.Baseline, "baseline", 500, "records before them that are the baseline")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *exceptions == "" || cfg.Current < 1 || cfg.Baseline < 1 {
		return fs.usageError("--exceptions is required and --current and --baseline must be positive")
	}
	recs, _, err := readLabelled(*exceptions, "")
	if err != nil {
		return err
	}
	var drifts []generate.Drift
	path := *truthPath
	if path == "" {
		path = filepath.Join(filepath.Dir(*exceptions), "drift_truth.csv")
	}
	if f, err := os.Open(path); err == nil {
		defer f.Close()
		if drifts, err = generate.ReadDriftTruth(f); err != nil {
			return err
		}
	} else if *truthPath != "" {
		return err
	}
	rep := eval.ReplayDrift(recs, drifts, cfg)
	if err := rep.WriteMarkdown(std.Out); err != nil {
		return err
	}
	return writeReport(*out, "drift", rep)
}

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/triage"
)

// decisionLine is what `billtriage triage` prints per exception.
type decisionLine struct {
	ID          string           `json:"id"`
	ExceptionID int64            `json:"exception_id"`
	Status      triage.Status    `json:"status"`
	Queue       triage.Queue     `json:"queue,omitempty"`
	Created     bool             `json:"created"`
	Decision    *triage.Decision `json:"decision,omitempty"`
}

func runTriage(ctx context.Context, args []string, std Stdio, getenv func(string) string) error {
	var cfg Config
	fs := newFlags("triage", std)
	cfg.bind(fs, getenv)
	in := fs.String("in", "-", "dataset format v1 JSONL to triage; - for stdin (labels, if any, are ignored)")
	if err := parse(fs, args); err != nil {
		return err
	}
	r := std.In
	if *in != "-" {
		f, err := os.Open(*in)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	a, err := openApp(ctx, cfg, cfg.logger(std.Err))
	if err != nil {
		return err
	}
	defer a.Close()
	return triageStream(ctx, a, r, std)
}

func triageStream(ctx context.Context, a *app, r io.Reader, std Stdio) error {
	var exs []triage.Exception
	lineErrs, err := dataset.ReadRecords(r, func(rec dataset.Record) error {
		exs = append(exs, rec.Exception())
		return nil
	})
	if err != nil {
		return err
	}
	reportLineErrors(std.Err, "input", lineErrs)
	enc := json.NewEncoder(std.Out)
	err = submitAll(ctx, a.svc, exs, func(s triage.Submission) error {
		return enc.Encode(decisionLine{ID: s.Exception.ExternalID, ExceptionID: s.Exception.ID, Status: s.Exception.Status,
			Queue: s.Exception.Queue, Created: s.Created, Decision: s.Decision})
	})
	if err != nil {
		return err
	}
	if len(lineErrs) > 0 {
		return fmt.Errorf("%d malformed lines skipped", len(lineErrs))
	}
	return nil
}

package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/triage"
)

// runCheck runs the pre-release checks on draft invoices read as JSON
// lines and prints one result a line. A bad line is named and nothing is
// checked (exit 1); a draft that may not be released makes the exit 3,
// so a release script can stop on it.
func runCheck(ctx context.Context, args []string, std Stdio, getenv func(string) string) error {
	var cfg Config
	fs := newFlags("check", std)
	cfg.bind(fs, getenv)
	in := fs.String("in", "-", "draft invoices, one JSON object a line; - for stdin")
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
	var drafts []triage.Draft
	lineErrs, err := dataset.ReadDrafts(r, func(_ int, d triage.Draft) error { drafts = append(drafts, d); return nil })
	if err != nil {
		return err
	}
	if len(lineErrs) > 0 {
		reportLineErrors(std.Err, *in, lineErrs)
		return fmt.Errorf("%d bad lines; nothing was checked", len(lineErrs))
	}
	a, err := openApp(ctx, cfg, cfg.logger(std.Err))
	if err != nil {
		return err
	}
	defer a.Close()
	return checkDrafts(ctx, a.svc, drafts, std)
}

// errHeld means `check` held a draft back and said so; Main exits 3.
var errHeld = errors.New("held")

func checkDrafts(ctx context.Context, svc *triage.Service, drafts []triage.Draft, std Stdio) error {
	enc := json.NewEncoder(std.Out)
	held := 0
	for start := 0; start < len(drafts); start += triage.MaxDrafts {
		res, err := svc.CheckInvoices(ctx, triage.System("check"), drafts[start:min(start+triage.MaxDrafts, len(drafts))])
		if err != nil {
			return err
		}
		for _, r := range res {
			if !r.Release {
				held++
			}
			if err := enc.Encode(r); err != nil {
				return err
			}
		}
	}
	if held > 0 {
		fmt.Fprintf(std.Err, "billtriage check: %d of %d drafts held back\n", held, len(drafts))
		return errHeld
	}
	return nil
}

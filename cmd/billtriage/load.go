package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/models/risk"
	"github.com/billtriage/billtriage/triage"
)

func runLoad(ctx context.Context, args []string, std Stdio, getenv func(string) string) error {
	var cfg Config
	fs := newFlags("load", std)
	cfg.bind(fs, getenv)
	exPath := fs.String("exceptions", "", "dataset format v1 JSONL: labelled lines join the history, unlabelled ones are triaged")
	invPath := fs.String("invoices", "", "invoice CSV")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *exPath == "" && *invPath == "" {
		fmt.Fprintln(std.Err, "load: give --exceptions FILE and/or --invoices FILE")
		return errUsage
	}
	a, err := openApp(ctx, cfg, cfg.logger(std.Err))
	if err != nil {
		return err
	}
	defer a.Close()
	start := time.Now()
	bad := 0
	if *exPath != "" {
		n, err := loadExceptions(ctx, a, *exPath, std)
		if err != nil {
			return err
		}
		bad += n
	}
	if *invPath != "" {
		n, err := loadInvoices(ctx, a, *invPath, std)
		if err != nil {
			return err
		}
		bad += n
	}
	fmt.Fprintf(std.Out, "done in %s", time.Since(start).Round(time.Millisecond))
	if bad > 0 {
		fmt.Fprintf(std.Out, "; %d malformed lines skipped (listed on stderr)", bad)
	}
	fmt.Fprintln(std.Out)
	return nil
}

// loadExceptions reads the JSONL file; malformed lines are reported by
// number and field and skipped, the good ones are kept.
func loadExceptions(ctx context.Context, a *app, path string, std Stdio) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var history []triage.Resolution
	var todo []triage.Exception
	lineErrs, err := dataset.ReadRecords(f, func(r dataset.Record) error {
		if h, ok := r.HistoryResolution(); ok {
			cs, err := triage.CorrectionsFromParams(h.Params)
			if err != nil {
				fmt.Fprintf(std.Err, "%s: record %s: resolution.%s: %s (skipped)\n", path, r.ID, triage.ErrorField(err), triage.ErrorMessage(err))
				return nil
			}
			h.Corrections = cs
			history = append(history, h)
		} else {
			todo = append(todo, r.Exception())
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	reportLineErrors(std.Err, path, lineErrs)
	start := time.Now()
	if err := a.svc.ImportHistory(ctx, history); err != nil {
		return 0, err
	}
	fmt.Fprintf(std.Out, "history: %d labelled records embedded and stored in %s (embedder %s)\n",
		len(history), time.Since(start).Round(time.Millisecond), a.emb.Name())
	if len(todo) > 0 {
		if err := submitAll(ctx, a.svc, todo, nil); err != nil {
			return 0, err
		}
		fmt.Fprintf(std.Out, "triaged: %d unlabelled records\n", len(todo))
	}
	return len(lineErrs), nil
}

func loadInvoices(ctx context.Context, a *app, path string, std Stdio) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var invs []triage.Invoice
	lineErrs, err := dataset.ReadInvoices(f, func(in triage.Invoice) error {
		invs = append(invs, triage.Invoice{InvoiceID: in.InvoiceID, CustomerID: in.CustomerID, IssuedAt: in.IssuedAt,
			DueAt: in.DueAt, Amount: in.Amount, Currency: in.Currency, PaidAt: in.PaidAt, Disputed: in.Disputed,
			Region: in.Region, Extra: in.Extra})
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	reportLineErrors(std.Err, path, lineErrs)
	if err := risk.StoreInvoices(ctx, a.store, invs); err != nil {
		return 0, err
	}
	fmt.Fprintf(std.Out, "invoices: %d stored\n", len(invs))
	return len(lineErrs), nil
}

func reportLineErrors(w io.Writer, path string, errs []*dataset.LineError) {
	for _, e := range errs {
		fmt.Fprintf(w, "%s: %v\n", path, e)
	}
}

// submitAll triages exceptions in batches, calling each with every result.
func submitAll(ctx context.Context, svc *triage.Service, exs []triage.Exception, each func(triage.Submission) error) error {
	const batch = 200
	for start := 0; start < len(exs); start += batch {
		subs, err := svc.Submit(ctx, triage.System("load"), exs[start:min(start+batch, len(exs))])
		if err != nil {
			return err
		}
		for _, s := range subs {
			if each != nil {
				if err := each(s); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"time"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/models/risk"
	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
)

// loadFlags are load's own flags, beside the shared ones.
type loadFlags struct {
	exceptions, invoices string
	quiet                bool
	indexMemoryMB        int64
	// noClassifier leaves the classifier's training to the next serve.
	noClassifier bool
}

// runLoad loads history, exceptions to triage and invoices. Malformed
// lines are named on stderr and skipped, everything else is loaded, and
// the command then fails (exit 1): loading is idempotent, so the fixed
// file can simply be loaded again.
func runLoad(ctx context.Context, args []string, std Stdio, getenv func(string) string) error {
	var cfg Config
	var lf loadFlags
	fs := newFlags("load", std)
	cfg.bind(fs, getenv)
	fs.StringVar(&lf.exceptions, "exceptions", "", "dataset format v1 JSONL: labelled lines join the history, unlabelled ones are triaged")
	fs.StringVar(&lf.invoices, "invoices", "", "invoice CSV")
	fs.BoolVar(&lf.quiet, "quiet", false, "no progress bar (there is none anyway when stderr is not a terminal)")
	fs.Int64Var(&lf.indexMemoryMB, "index-memory-mb", postgres.DefaultIndexBuildMemory>>20,
		"most memory (MB) PostgreSQL may use to rebuild the search index after a large load (maintenance_work_mem)")
	fs.BoolVar(&lf.noClassifier, "no-classifier", false,
		"do not train and store the classifier models the new history makes due; the next serve then trains them before it answers")
	if err := parse(fs, args); err != nil {
		return err
	}
	if lf.exceptions == "" && lf.invoices == "" {
		fmt.Fprintln(std.Err, "load: give --exceptions FILE and/or --invoices FILE")
		return errUsage
	}
	if lf.indexMemoryMB < 64 {
		fmt.Fprintln(std.Err, "load: --index-memory-mb must be at least 64")
		return errUsage
	}
	a, err := openLoadApp(ctx, cfg, cfg.logger(std.Err))
	if err != nil {
		return err
	}
	defer a.Close()
	a.db.IndexBuildMemory = lf.indexMemoryMB << 20
	// A load streams: its live heap is a few batches (~100 MB), so
	// collecting at 4x instead of 2x that costs little memory and saves
	// much of the collector's share of a CPU-bound load.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	start := time.Now()
	bad := 0
	if lf.exceptions != "" {
		n, err := loadExceptions(ctx, a, lf.exceptions, lf.quiet, !lf.noClassifier, std)
		if err != nil {
			return err
		}
		bad += n
	}
	if lf.invoices != "" {
		n, err := loadInvoices(ctx, a, lf.invoices, std)
		if err != nil {
			return err
		}
		bad += n
	}
	fmt.Fprintf(std.Out, "done in %s\n", time.Since(start).Round(time.Millisecond))
	if bad > 0 {
		return fmt.Errorf("%d malformed lines skipped (named above); every other line was loaded: "+
			"fix those lines and load the file again (what is already loaded is not added twice)", bad)
	}
	return nil
}

// loadExceptions streams the JSONL file: labelled records are embedded and
// stored batch by batch (the store may set its index aside for a large
// load and rebuild it at the end), unlabelled ones are triaged after.
// Malformed lines, and records whose corrections do not parse, are named
// with their line on stderr and skipped; their number is returned.
func loadExceptions(ctx context.Context, a *app, path string, quiet, storeModels bool, std Stdio) (int, error) {
	lines, err := countLines(path)
	if err != nil {
		return 0, err
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	start := time.Now()
	bar := newProgress(std.Err, quiet, int64(lines), "loading", "lines")
	// Every line may be labelled: the count only decides whether the
	// index is rebuilt (see triage/postgres/load.go), so an upper bound
	// does.
	imp, err := a.svc.BeginImport(ctx, triage.ImportOptions{Rows: lines, KeepClassifier: true})
	if err != nil {
		return 0, err
	}
	var todo []triage.Exception
	var batch []triage.Resolution
	labelled, rejected := 0, 0
	lineErrs, err := dataset.ReadNumberedRecords(f, func(line int, r dataset.Record) error {
		if line%1000 == 0 {
			bar.Set(int64(line))
		}
		h, ok := r.HistoryResolution()
		if !ok {
			todo = append(todo, r.Exception())
			return nil
		}
		cs, err := triage.CorrectionsFromParams(h.Params)
		if err != nil {
			rejected++
			fmt.Fprintf(std.Err, "%s: line %d: record %s: resolution.%s: %s (skipped)\n", path, line, r.ID, triage.ErrorField(err), triage.ErrorMessage(err))
			return nil
		}
		h.Corrections = cs
		labelled++
		batch = append(batch, h)
		if len(batch) == triage.ImportBatch {
			err, batch = imp.Add(ctx, batch), nil
			return err
		}
		return nil
	})
	if err == nil && len(batch) > 0 {
		err = imp.Add(ctx, batch)
	}
	if err != nil {
		err = fmt.Errorf("%s: %w", path, err)
	}
	bar.Set(int64(lines))
	bar.Done()
	if err == nil && bar.Active() {
		fmt.Fprintln(std.Err, "loading: finishing (building the search index when it was set aside)...")
	}
	stats, cerr := imp.Close(ctx)
	if err == nil {
		err = cerr
	}
	reportLineErrors(std.Err, path, lineErrs)
	if err != nil {
		return 0, err
	}
	fmt.Fprintf(std.Out, "history: %d labelled records, %d added, %d already present, in %s (embedder %s)\n",
		labelled, stats.Added, stats.Present, time.Since(start).Round(time.Millisecond), a.emb.Name())
	fmt.Fprintf(std.Out, "  read, embedded and written in %s (%.0f rows/s; embedder busy %s, database %s); index and statistics in %s\n",
		stats.Writing.Round(time.Millisecond), float64(labelled)/max(stats.Writing.Seconds(), 1e-3),
		stats.Embedding.Round(time.Millisecond), stats.Storing.Round(time.Millisecond), stats.Finishing.Round(time.Millisecond))
	fmt.Fprintf(std.Out, "  search index %s\n", stats.IndexNote)
	if stats.Added > 0 && storeModels {
		// Training once here, where the history was written, spares every
		// replica's next start the 18 s (at 100k rows) of training it
		// before answering; what is not due (a small incremental load)
		// is left to the replicas' own due checks.
		t0 := time.Now()
		trained, err := a.clf.StoreDue(ctx)
		if err != nil {
			return 0, fmt.Errorf("train the classifier: %w", err)
		}
		if len(trained) > 0 {
			fmt.Fprintf(std.Out, "  classifier trained and stored for %d types in %s\n", len(trained), time.Since(t0).Round(time.Millisecond))
		}
	}
	if len(todo) > 0 {
		// Triage with a classifier that knows the history just loaded.
		if err := a.clf.TrainAll(ctx); err != nil {
			return 0, fmt.Errorf("train the classifier: %w", err)
		}
		if err := submitAll(ctx, a.svc, todo, nil); err != nil {
			return 0, err
		}
		fmt.Fprintf(std.Out, "triaged: %d unlabelled records\n", len(todo))
	}
	return len(lineErrs) + rejected, nil
}

// countLines counts the lines of the file at path (a last line without a
// newline counts), quickly, to size the progress bar and the load.
func countLines(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	buf := make([]byte, 1<<20)
	n, last := 0, byte('\n')
	for {
		k, err := f.Read(buf)
		if k > 0 {
			n += bytes.Count(buf[:k], []byte{'\n'})
			last = buf[k-1]
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, err
		}
	}
	if last != '\n' {
		n++
	}
	return n, nil
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

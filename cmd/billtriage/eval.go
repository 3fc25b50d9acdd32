package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/dataset/generate"
	"github.com/billtriage/billtriage/eval"
	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
)

// evalFlags are eval's own flags; the shared ones are in Config.
type evalFlags struct {
	exceptions, invoices, splitAt, out, compare, truth string
	writePolicy                                        string
	split, target                                      float64
	minSupport                                         int
	noFeedback                                         bool
}

func (f *evalFlags) bind(fs *cmdFlags) {
	fs.StringVar(&f.exceptions, "exceptions", "", "dataset format v1 JSONL with labels (required)")
	fs.StringVar(&f.invoices, "invoices", "", "invoice CSV, for the risk model's metrics")
	fs.StringVar(&f.truth, "truth", "", "the generator's truth.csv, to split automation by vague and clear texts")
	fs.Float64Var(&f.split, "split", 0.7, "share of records, oldest first, that are the history")
	fs.StringVar(&f.splitAt, "split-at", "", "RFC 3339 time: records before it are the history (instead of --split)")
	fs.Float64Var(&f.target, "target-precision", eval.DefaultTargetPrecision, "precision the recommended thresholds must reach")
	fs.IntVar(&f.minSupport, "min-support", eval.DefaultMinSupport, "fewest automated cases a recommended threshold may rest on")
	fs.StringVar(&f.out, "out", "var/eval/run", "output directory")
	fs.StringVar(&f.compare, "compare", "", "directory of another run to put side by side with this one")
	fs.BoolVar(&f.noFeedback, "no-feedback", false, "keep the test part's resolutions out of the history")
	fs.StringVar(&f.writePolicy, "write-policy", "", "write the recommended thresholds as a draft policy `file` (then preview it: billtriage policy preview FILE)")
}

func runEval(ctx context.Context, args []string, std Stdio, getenv func(string) string) error {
	if len(args) > 0 {
		if sub, ok := evalSubcommands[args[0]]; ok {
			return sub(ctx, args[1:], std, getenv)
		}
	}
	var cfg Config
	var f evalFlags
	fs := newFlags("eval", std)
	f.bind(fs)
	// No --schema: the replay makes a fresh schema of its own.
	cfg.bindGroups(fs, getenv, pipelineFlags&^schemaFlag)
	fs.about = "Replays the records after the split through the pipeline, in a fresh schema that is dropped afterwards."
	if err := parse(fs, args); err != nil {
		return err
	}
	splitAt, err := f.check(fs.FlagSet)
	if err != nil {
		return fs.usageError("%v", err)
	}
	other, err := readCompare(f.compare)
	if err != nil {
		return err
	}
	rc, err := f.evalConfig(splitAt, std)
	if err != nil {
		return err
	}
	res, err := evalIsolated(ctx, cfg, rc, std)
	if err != nil {
		return err
	}
	if err := writeEval(res, f, other, std); err != nil {
		return err
	}
	return writeDraft(f.writePolicy, cfg.PolicyFile, res, std)
}

// writeDraft writes the eval's recommended thresholds as a draft policy
// over the policy the replay ran under, when asked.
func writeDraft(path, policyFile string, res *eval.Result, std Stdio) error {
	if path == "" {
		return nil
	}
	base, err := loadPolicy(policyFile)
	if err != nil {
		return err
	}
	draft, err := eval.DraftPolicy(base, res.Metrics.RecommendedThresholds)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, draft.MarshalIndented(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(std.Out, "wrote the draft policy %s, with the recommended thresholds, to %s; preview it with: billtriage policy preview %s\n", draft.Version(), path, path)
	return nil
}

// check validates the flags, before anything slow happens.
func (f *evalFlags) check(fs *flag.FlagSet) (time.Time, error) {
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	switch {
	case f.exceptions == "":
		return time.Time{}, errors.New("--exceptions FILE is required")
	case set["split"] && set["split-at"]:
		return time.Time{}, errors.New("give --split or --split-at, not both")
	case f.split <= 0 || f.split >= 1:
		return time.Time{}, fmt.Errorf("--split must be between 0 and 1, not %v", f.split)
	case f.target <= 0 || f.target > 1:
		return time.Time{}, fmt.Errorf("--target-precision must be in (0, 1], not %v", f.target)
	case f.minSupport < 1:
		return time.Time{}, fmt.Errorf("--min-support must be at least 1, not %d", f.minSupport)
	case f.splitAt == "":
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, f.splitAt)
	if err != nil {
		return time.Time{}, fmt.Errorf("--split-at must be an RFC 3339 time: %v", err)
	}
	return t, nil
}

// readCompare reads the other run's metrics first, so a wrong directory
// fails before the replay rather than after it.
func readCompare(dir string) ([]byte, error) {
	if dir == "" {
		return nil, nil
	}
	b, err := os.ReadFile(filepath.Join(dir, eval.MetricsJSON))
	if err != nil {
		return nil, fmt.Errorf("--compare: %w", err)
	}
	return b, nil
}

// evalConfig reads the inputs. With invoices, eval.PrepareRisk trains the
// risk model the replay uses and reports.
func (f *evalFlags) evalConfig(splitAt time.Time, std Stdio) (eval.Config, error) {
	rc := eval.Config{Split: f.split, SplitAt: splitAt, NoFeedback: f.noFeedback, TargetPrecision: f.target,
		MinSupport: f.minSupport, Progress: std.Err}
	in, err := readEvalInput(f.exceptions)
	if err != nil {
		return rc, err
	}
	rc.Input = in
	if f.truth != "" {
		if rc.Truth, err = readTruth(f.truth); err != nil {
			return rc, err
		}
	}
	if f.invoices != "" {
		if rc.Invoices, err = readEvalInvoices(f.invoices, std); err != nil {
			return rc, err
		}
	}
	return rc, nil
}

func readEvalInput(path string) (*eval.Input, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	in, err := eval.ReadInput(fh)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return in, nil
}

func readEvalInvoices(path string, std Stdio) ([]triage.Invoice, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	var invs []triage.Invoice
	lineErrs, err := dataset.ReadInvoices(fh, func(inv triage.Invoice) error {
		invs = append(invs, inv)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	reportLineErrors(std.Err, path, lineErrs)
	return invs, nil
}

// evalIsolated runs the benchmark in a fresh schema of the real database
// and drops the schema afterwards, also after an error or an interrupt.
func evalIsolated(ctx context.Context, cfg Config, rc eval.Config, std Stdio) (res *eval.Result, err error) {
	emb, pol, err := cfg.embedderAndPolicy()
	if err != nil {
		return nil, err
	}
	log := cfg.logger(std.Err)
	schema := evalSchemaName()
	// The owner creates, migrates and drops the run's schema; the service
	// works in it as DatabaseURL's role, with the privileges it has in
	// production.
	db, err := postgres.Open(ctx, cfg.DatabaseURL, postgres.Options{Schema: schema, Migrate: true, OwnerURL: cfg.ownerURL(), Logger: log})
	if err != nil {
		dropLeftover(cfg.DatabaseURL, cfg.ownerURL(), schema)
		return nil, err
	}
	defer func() {
		if dropErr := dropSchema(db); dropErr != nil && err == nil {
			err = fmt.Errorf("drop schema %s: %w", schema, dropErr)
		}
	}()
	// The index exists before the history arrives, as in the service.
	if err := db.EnsureIndex(ctx, emb.Name(), emb.Dims()); err != nil {
		return nil, err
	}
	rc.Clock = eval.NewClock()
	st := postgres.NewStore(db)
	if err := eval.PrepareRisk(ctx, st, &rc, pol.FXToUSD, std.Err); err != nil {
		return nil, err
	}
	if rc.Service, _, err = newService(ctx, st, emb, pol, cfg, log, nil, rc.Clock.Now, true, cfg.classifierVectors(emb), nil, true); err != nil {
		return nil, err
	}
	fmt.Fprintf(std.Err, "eval: schema %s, embedder %s, policy %s\n", schema, emb.Name(), pol.Version())
	// The replay's size is known once it has split the input, so the bar
	// starts at the first case. Off a terminal, Step stays nil and the
	// replay writes its count lines instead.
	var bar *progress
	if isTerminal(std.Err) {
		rc.Step = func(done, total int) {
			if bar == nil {
				bar = newProgress(std.Err, false, int64(total), "eval: replaying", "cases")
			}
			bar.Set(int64(done))
		}
	}
	res, err = eval.Run(ctx, rc)
	if bar != nil {
		bar.Done()
	}
	return res, err
}

// dropSchema drops the run's schema even when ctx was cancelled by an
// interrupt: that is exactly when it must still happen.
func dropSchema(db *postgres.DB) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	defer db.Close()
	return db.DropSchema(ctx)
}

// dropLeftover removes a schema that a failed migration may have created.
func dropLeftover(url, ownerURL, schema string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if db, err := postgres.Open(ctx, url, postgres.Options{Schema: schema, OwnerURL: ownerURL}); err == nil {
		_ = dropSchema(db) // best effort: the original error is the one to report
	}
}

// evalSchemaName is unique per run, so concurrent runs never meet.
func evalSchemaName() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return "eval_" + hex.EncodeToString(b)
}

func writeEval(res *eval.Result, f evalFlags, other []byte, std Stdio) error {
	out := eval.Output{Dir: f.out, Source: filepath.Base(f.exceptions)}
	if other != nil {
		mine, err := eval.MarshalMetrics(res.Metrics)
		if err != nil {
			return err
		}
		if out.Compare, err = eval.Compare(mine, other, f.compare); err != nil {
			return err
		}
	}
	if err := eval.Write(res, out); err != nil {
		return err
	}
	fmt.Fprint(std.Out, eval.Summary(res))
	fmt.Fprintf(std.Out, "wrote %s, %s and the plots to %s\n", eval.MetricsJSON, eval.ReportMD, f.out)
	if out.Compare != nil {
		fmt.Fprintf(std.Out, "\nCompared with %s:\n\n%s", f.compare, out.Compare.Markdown())
	}
	return nil
}

func readTruth(path string) (map[string]generate.Truth, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--truth: %w", err)
	}
	defer fh.Close()
	v, err := generate.ReadTruth(fh)
	if err != nil {
		return nil, fmt.Errorf("--truth %s: %w", path, err)
	}
	return v, nil
}

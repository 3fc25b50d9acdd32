package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/billtriage/billtriage/features"
	"github.com/billtriage/billtriage/models/risk"
	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
)

func runTrain(ctx context.Context, args []string, std Stdio, getenv func(string) string) error {
	var cfg Config
	fs := newFlags("train", std)
	path := fs.String("invoices", "", "invoice CSV to train on")
	fromDB := fs.Bool("from-db", false, "train on the invoices stored in the database")
	lateDays := fs.Int("late-after-days", features.DefaultLateDays, "an invoice is late when paid more than this many days after due, or not at all")
	// --late-days was a second name for the same flag; scripts that use it
	// keep working for now, with a warning.
	fs.deprecated("late-days", "late-after-days")
	split := fs.Float64("split", 0.8, "the oldest share of invoices fits and calibrates the model (3:1); the rest is the hold-out")
	activate := fs.Bool("activate", false, "make the new model the active one")
	seed := fs.Uint64("seed", 1, "seed of the forest's sampling")
	cfg.bindGroups(fs, getenv, storeFlags|policyFlag)
	if err := parse(fs, args); err != nil {
		return err
	}
	if (*path == "") == !*fromDB {
		return fs.usageError("give exactly one of --invoices FILE or --from-db")
	}
	if *split <= 0.2 || *split >= 1 {
		return fs.usageError("--split must be between 0.2 and 1 (0.8 holds out the newest 20%%)")
	}
	st, closeDB, err := cfg.openStore(ctx, std.Err)
	if err != nil {
		return err
	}
	defer closeDB()
	invs, err := trainingInvoices(ctx, st, *path, std)
	if err != nil {
		return err
	}
	pol, err := loadPolicy(cfg.PolicyFile)
	if err != nil {
		return err
	}
	// The number of fits is the trainer's to know: the bar starts with
	// the first.
	var bar *progress
	m, rep, err := risk.TrainLatest(invs, risk.TrainOptions{LateDays: *lateDays, FX: pol.FXToUSD, Seed: *seed, Split: *split,
		Progress: func(done, total int) {
			if bar == nil {
				bar = newProgress(std.Err, false, int64(total), "training", "fits")
			}
			bar.Set(int64(done))
		}})
	if bar != nil {
		bar.Done()
	}
	if err != nil {
		return err
	}
	fmt.Fprint(std.Err, rep.String())
	if err := register(ctx, st, m, *activate, std); err != nil {
		return err
	}
	return json.NewEncoder(std.Out).Encode(risk.Holdout(m, rep))
}

// trainingInvoices reads the invoice file, or the database when path is
// empty, reporting malformed lines.
func trainingInvoices(ctx context.Context, st *postgres.Store, path string, std Stdio) ([]triage.Invoice, error) {
	if path == "" {
		return st.AllInvoices(ctx)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out, lineErrs, err := risk.ReadInvoices(f)
	reportLineErrors(std.Err, path, lineErrs)
	return out, err
}

func register(ctx context.Context, st *postgres.Store, m *risk.Model, activate bool, std Stdio) error {
	rec, err := risk.Save(ctx, st, m)
	if err != nil {
		return err
	}
	fmt.Fprintf(std.Err, "stored model %s (%s)\n", rec.Version, rec.Family)
	if !activate {
		fmt.Fprintf(std.Err, "activate it with: billtriage models activate %s\n", rec.Version)
		return nil
	}
	if err := st.ActivateModel(ctx, rec.Version); err != nil {
		return err
	}
	fmt.Fprintf(std.Err, "model %s is active\n", rec.Version)
	return nil
}

func runModels(ctx context.Context, args []string, std Stdio, getenv func(string) string) error {
	sub, rest, err := subcommand(newFlags("models", std), args, []string{"list", "activate"})
	if err != nil {
		return err
	}
	var cfg Config
	if sub == "" {
		fs := newFlags("models", std)
		cfg.bindGroups(fs, getenv, storeFlags)
		fs.printHelp(std.Out)
		return flag.ErrHelp
	}
	fs := newFlags("models "+sub, std)
	cfg.bindGroups(fs, getenv, storeFlags)
	if err := fs.parseFlags(rest); err != nil {
		return err
	}
	switch {
	case sub == "activate" && fs.NArg() != 1:
		return fs.usageError("give one version (from models list)")
	case sub == "list" && fs.NArg() > 0:
		return fs.usageError("unexpected arguments: %v", fs.Args())
	}
	st, closeDB, err := cfg.openStore(ctx, std.Err)
	if err != nil {
		return err
	}
	defer closeDB()
	if sub == "activate" {
		return activateModel(ctx, st, fs.Arg(0), std)
	}
	ms, err := st.ListModels(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(std.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VERSION\tFAMILY\tLATE DAYS\tTRAINED ON\tVALIDATION AUC\tBRIER\tECE\tACTIVE")
	for _, m := range ms {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s..%s\t%.3f\t%.3f\t%.3f\t%v\n", m.Version, m.Family, m.LateDays,
			m.TrainedFrom.Format("2006-01-02"), m.TrainedTo.Format("2006-01-02"),
			m.Metrics["validation_auc"], m.Metrics["validation_brier"], m.Metrics["validation_ece"], m.Active)
	}
	return tw.Flush()
}

// activateModel activates version and says so; risk.Activate refuses
// a model this build cannot score with.
func activateModel(ctx context.Context, st *postgres.Store, version string, std Stdio) error {
	if version == "" {
		return fmt.Errorf("models activate: give a version (from models list)")
	}
	if err := risk.Activate(ctx, st, version); err != nil {
		return err
	}
	fmt.Fprintf(std.Out, "model %s is active; running services pick it up within 15 s\n", version)
	return nil
}

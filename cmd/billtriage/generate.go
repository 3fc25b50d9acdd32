package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/dataset/generate"
)

func runGenerate(ctx context.Context, args []string, std Stdio, getenv func(string) string) error {
	fs := newFlags("generate", std)
	var cfg generate.Config
	fs.Int64Var(&cfg.Seed, "seed", 1, "random seed; the same seed gives the same bytes")
	fs.IntVar(&cfg.Exceptions, "exceptions", 5000, "number of labelled exceptions")
	fs.IntVar(&cfg.Invoices, "invoices", 3000, "number of invoices")
	out := fs.String("out", "data", "output directory (exceptions.jsonl, invoices.csv, truth.csv)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if cfg.Exceptions < 1 || cfg.Invoices < 0 {
		return fmt.Errorf("--exceptions must be at least 1 and --invoices at least 0")
	}
	recs, invs, truth, err := generate.GenerateWithTruth(cfg)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(*out, "exceptions.jsonl"), func(f *os.File) error { return dataset.WriteRecords(f, recs) }); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(*out, "invoices.csv"), func(f *os.File) error { return dataset.WriteInvoices(f, invs) }); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(*out, "truth.csv"), func(f *os.File) error { return generate.WriteTruth(f, truth) }); err != nil {
		return err
	}
	fmt.Fprintf(std.Out, "wrote %d exceptions and %d invoices to %s\n", len(recs), len(invs), *out)
	return nil
}

func writeFile(path string, write func(*os.File) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/dataset/generate"
	"github.com/billtriage/billtriage/eval"
	"github.com/billtriage/billtriage/triage"
)

// evalSubcommands are eval's subcommands besides the replay itself.
var evalSubcommands = map[string]func(ctx context.Context, args []string, std Stdio, getenv func(string) string) error{
	"checks":   runEvalChecks,
	"drift":    runEvalDrift,
	"patterns": runEvalPatterns,
}

// runEvalChecks measures the pre-release checks: precision and recall per
// check on drafts with seeded faults, learned from the whole history, and
// how many of the later erp_posting_failure and tax_inconsistency
// exceptions they would have held, learned from the history before each.
func runEvalChecks(_ context.Context, args []string, std Stdio, getenv func(string) string) error {
	fs := newFlags("eval checks", std)
	exceptions := fs.String("exceptions", "", "dataset format v1 JSONL with labels (required)")
	invoices := fs.String("invoices", "", "invoice CSV (required: customers and invoice dates)")
	drafts := fs.String("drafts", "", "drafts JSONL from generate --drafts (required)")
	truthPath := fs.String("draft-truth", "", "the drafts' seeded faults, drafts_truth.csv (default: beside --drafts)")
	split := fs.Float64("split", 0.7, "share of records, oldest first, that are the history before the later exceptions")
	out := fs.String("out", "", "directory to write checks.json to (optional)")
	closed := fs.String("closed-through", getenv("BILLTRIAGE_CLOSED_THROUGH"), "the last closed `period`, YYYY-MM, as serve would be configured")
	fs.about = "Measures the pre-release checks: precision and recall per check on drafts with seeded faults, and the later " +
		"erp_posting_failure and tax_inconsistency exceptions they would have held. Needs no database."
	raiseAt := fs.String("raise-at", "error", "the least `severity` that holds a draft (info, warning, error)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *exceptions == "" || *invoices == "" || *drafts == "" || *split <= 0 || *split >= 1 {
		return fs.usageError("--exceptions, --invoices and --drafts are required and --split must lie in (0, 1)")
	}
	cfg := triage.CheckConfig{ClosedThrough: *closed, RaiseAt: triage.Severity(*raiseAt)}
	if err := cfg.Validate(); err != nil {
		return fs.usageError("--%s: %s", strings.ReplaceAll(triage.ErrorField(err), "_", "-"), triage.ErrorMessage(err))
	}
	if *truthPath == "" {
		*truthPath = filepath.Join(filepath.Dir(*drafts), "drafts_truth.csv")
	}
	recs, invs, ds, truth, err := readCheckInputs(*exceptions, *invoices, *drafts, *truthPath)
	if err != nil {
		return err
	}
	sort.SliceStable(recs, func(i, j int) bool { return recs[i].OccurredAt.Before(recs[j].OccurredAt) })
	splitAt := recs[int(float64(len(recs))**split)].OccurredAt
	rep := eval.ChecksReport{Drafts: eval.ScoreDrafts(eval.CheckHistoryOf(recs, invs, time.Time{}), ds, truth, cfg),
		SplitAt: splitAt.Format(time.RFC3339)}
	rep.Caught, rep.Control = eval.ScoreCaught(recs, invs, splitAt, []triage.Type{triage.ERPPostingFailure, triage.TaxInconsistency}, cfg)
	if err := rep.WriteMarkdown(std.Out); err != nil {
		return err
	}
	return writeReport(*out, "checks", rep)
}

// writeReport writes rep as NAME.json in dir, when dir is given.
func writeReport(dir, name string, rep any) error {
	if dir == "" {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, name+".json"), append(b, '\n'), 0o644)
}

func readCheckInputs(exPath, invPath, draftPath, truthPath string) ([]dataset.Record, []triage.Invoice, []triage.Draft, map[string]generate.DraftTruth, error) {
	recs, invs, err := readLabelled(exPath, invPath)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	f, err := os.Open(draftPath)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	defer f.Close()
	var ds []triage.Draft
	lineErrs, err := dataset.ReadDrafts(f, func(_ int, d triage.Draft) error { ds = append(ds, d); return nil })
	if err == nil && len(lineErrs) > 0 {
		err = fmt.Errorf("%s: %v", draftPath, lineErrs[0])
	}
	if err != nil {
		return nil, nil, nil, nil, err
	}
	tf, err := os.Open(truthPath)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	defer tf.Close()
	truth, err := generate.ReadDraftTruth(tf)
	return recs, invs, ds, truth, err
}

// readLabelled reads a labelled history and its invoices; a bad line
// fails the run naming it, since the figures would be off.
func readLabelled(exPath, invPath string) ([]dataset.Record, []triage.Invoice, error) {
	f, err := os.Open(exPath)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	var recs []dataset.Record
	lineErrs, err := dataset.ReadRecords(f, func(r dataset.Record) error { recs = append(recs, r); return nil })
	if err == nil && len(lineErrs) > 0 {
		err = fmt.Errorf("%s: %v", exPath, lineErrs[0])
	}
	if err == nil && len(recs) < 2 {
		err = fmt.Errorf("%s: want at least 2 records", exPath)
	}
	if err != nil || invPath == "" {
		return recs, nil, err
	}
	fi, err := os.Open(invPath)
	if err != nil {
		return nil, nil, err
	}
	defer fi.Close()
	var invs []triage.Invoice
	lineErrs, err = dataset.ReadInvoices(fi, func(inv triage.Invoice) error { invs = append(invs, inv); return nil })
	if err == nil && len(lineErrs) > 0 {
		err = fmt.Errorf("%s: %v", invPath, lineErrs[0])
	}
	return recs, invs, err
}

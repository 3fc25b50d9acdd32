package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/dataset/generate"
	"github.com/billtriage/billtriage/triage"
)

func runGenerate(ctx context.Context, args []string, std Stdio, getenv func(string) string) error {
	fs := newFlags("generate", std)
	var cfg generate.Config
	fs.Int64Var(&cfg.Seed, "seed", 1, "random seed; the same seed gives the same bytes")
	fs.IntVar(&cfg.Exceptions, "exceptions", 5000, "number of exceptions, open ones included")
	fs.IntVar(&cfg.Invoices, "invoices", 3000, "number of invoices")
	fs.Func("end", "end the year-long history at `WHEN` instead of in 2025: now (or today) for this instant, "+
		"YYYY-MM-DD for the end of that day (UTC), or an RFC 3339 time; the same WHEN gives the same bytes", func(v string) error {
		t, err := parseEnd(v, time.Now())
		cfg.End = t
		return err
	})
	fs.IntVar(&cfg.Open, "open", 0, "leave the newest `N` exceptions, and any not resolved by the end, open: written unlabelled to open.jsonl")
	fs.BoolVar(&cfg.Incidents, "incidents", false, "seed incidents (a usage feed delayed for one meter, a stale price book in one region, a broken ERP mapping for one entity) and write their records to incidents.csv")
	var dc generate.DraftConfig
	fs.IntVar(&dc.Drafts, "drafts", 0, "also write `N` draft invoices after the window, some with a seeded fault, to drafts.jsonl (truth in drafts_truth.csv)")
	fs.Float64Var(&dc.FaultRate, "draft-faults", 0.3, "share of drafts given one seeded fault")
	var drift *generate.Drift
	fs.Func("drift", "make a connector drift: `SOURCE:FROM=TO@YYYY-MM-DD` renames field FROM to TO in SOURCE's records from that day (truth in drift_truth.csv)",
		func(v string) error {
			d, err := generate.ParseDrift(v)
			drift = &d
			return err
		})
	fs.Func("mislabel-after", "make labels drift from `DATE` on (YYYY-MM-DD, UTC, or RFC 3339): a share --mislabel-rate of the records "+
		"of --mislabel-type (every type when empty) get a sibling cause's label, to test the drift alarms; off by default", func(v string) error {
		t, err := parseEnd(v, time.Now())
		if err == nil && len(v) == len(time.DateOnly) {
			t = t.AddDate(0, 0, -1) // from the start of that day, not its end
		}
		cfg.Mislabel.After = t
		return err
	})
	fs.StringVar(&cfg.Mislabel.Type, "mislabel-type", "", "the exception `TYPE` whose labels drift (with --mislabel-after); empty for every type")
	fs.Float64Var(&cfg.Mislabel.MislabelRate, "mislabel-rate", 0, "the share `R` of drifting records given a wrong label (with --mislabel-after)")
	out := fs.String("out", "data", "output directory (exceptions.jsonl, invoices.csv, truth.csv; open.jsonl with --open)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if cfg.Exceptions < 1 || cfg.Invoices < 0 || cfg.Open < 0 {
		return fmt.Errorf("--exceptions must be at least 1 and --invoices and --open at least 0")
	}
	if err := checkMislabel(cfg.Mislabel); err != nil {
		return err
	}
	bar := newProgress(std.Err, false, int64(cfg.Exceptions), "generating", "exceptions")
	cfg.Progress = func(done, _ int) { bar.Set(int64(done)) }
	recs, invs, truth, incs, err := generate.GenerateWithIncidents(cfg)
	bar.Done()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	if drift != nil {
		n := generate.ApplyDrift(recs, *drift)
		if err := writeFile(filepath.Join(*out, "drift_truth.csv"), func(f *os.File) error { return generate.WriteDriftTruth(f, *drift) }); err != nil {
			return err
		}
		fmt.Fprintf(std.Out, "%s renamed %s to %s in %d records from %s\n", drift.Source, drift.From, drift.To, n, drift.At.Format(time.DateOnly))
	}
	// Open records go to a file of their own: loaded with the history,
	// they would be triaged by load instead of by whoever demonstrates it.
	var open []dataset.Record
	if cfg.Open > 0 {
		recs, open = splitOpen(recs)
		if err := writeFile(filepath.Join(*out, "open.jsonl"), func(f *os.File) error { return dataset.WriteRecords(f, open) }); err != nil {
			return err
		}
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
	if cfg.Incidents {
		if err := writeFile(filepath.Join(*out, "incidents.csv"), func(f *os.File) error { return generate.WriteIncidents(f, incs) }); err != nil {
			return err
		}
	}
	if dc.Drafts > 0 {
		if err := writeDrafts(cfg, dc, *out); err != nil {
			return err
		}
		fmt.Fprintf(std.Out, "wrote %d drafts to %s\n", dc.Drafts, *out)
	}
	if cfg.Open > 0 {
		fmt.Fprintf(std.Out, "wrote %d labelled and %d open exceptions and %d invoices to %s\n", len(recs), len(open), len(invs), *out)
		return nil
	}
	fmt.Fprintf(std.Out, "wrote %d exceptions and %d invoices to %s\n", len(recs), len(invs), *out)
	return nil
}

// parseEnd reads --end. A bare date means the end of that day, so that
// `--end 2026-12-06` includes the 6th; now is truncated to the second,
// since the output's times are whole seconds.
func parseEnd(v string, now time.Time) (time.Time, error) {
	switch v {
	case "now", "today":
		return now.UTC().Truncate(time.Second), nil
	}
	if d, err := time.Parse(time.DateOnly, v); err == nil {
		return d.AddDate(0, 0, 1), nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("want now, today, YYYY-MM-DD or an RFC 3339 time, got %q", v)
	}
	return t, nil
}

// splitOpen separates labelled records from open ones, keeping order.
func splitOpen(recs []dataset.Record) (labelled, open []dataset.Record) {
	for _, r := range recs {
		if r.Resolution == nil {
			open = append(open, r)
		} else {
			labelled = append(labelled, r)
		}
	}
	return labelled, open
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

// writeDrafts writes the drafts and their seeded faults beside the
// history.
func writeDrafts(cfg generate.Config, dc generate.DraftConfig, out string) error {
	cfg.Progress = nil
	ds, truth, err := generate.GenerateDrafts(cfg, dc)
	if err != nil {
		return err
	}
	if err := writeFile(filepath.Join(out, "drafts.jsonl"), func(f *os.File) error { return dataset.WriteDrafts(f, ds) }); err != nil {
		return err
	}
	return writeFile(filepath.Join(out, "drafts_truth.csv"), func(f *os.File) error { return generate.WriteDraftTruth(f, truth) })
}

// checkMislabel names the flag at fault in a drift's settings.
func checkMislabel(d generate.Mislabel) error {
	switch {
	case d.After.IsZero() && (d.Type != "" || d.MislabelRate != 0):
		return fmt.Errorf("--mislabel-type and --mislabel-rate need --mislabel-after")
	case !d.After.IsZero() && !(d.MislabelRate > 0 && d.MislabelRate <= 1):
		return fmt.Errorf("--mislabel-rate must be above 0 and at most 1 with --mislabel-after, not %g", d.MislabelRate)
	case d.Type != "" && !triage.Type(d.Type).Valid():
		return fmt.Errorf("--mislabel-type %q is not an exception type", d.Type)
	}
	return nil
}

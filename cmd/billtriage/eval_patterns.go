package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/dataset/generate"
	"github.com/billtriage/billtriage/disputes"
	"github.com/billtriage/billtriage/eval"
	"github.com/billtriage/billtriage/triage"
)

// runEvalPatterns is `billtriage eval patterns`: pattern purity and
// completeness, spike time-to-detect and false alarms on a generated year
// with seeded incidents (or on files given).
func runEvalPatterns(ctx context.Context, args []string, std Stdio, getenv func(string) string) error {
	var cfg Config
	fs := newFlags("eval patterns", std)
	gen := generate.Config{Incidents: true}
	fs.Int64Var(&gen.Seed, "seed", 42, "seed of the generated year")
	fs.IntVar(&gen.Exceptions, "n", 5000, "exceptions in the generated year")
	fs.IntVar(&gen.Invoices, "invoices", 3000, "invoices in the generated year")
	exceptions := fs.String("exceptions", "", "measure on this labelled JSONL instead of a generated year")
	incidents := fs.String("incidents", "", "the incidents.csv of --exceptions (from generate --incidents)")
	sims := fs.String("similarity", "0.5,0.6,0.7,0.8", "comma-separated similarity thresholds to score the clustering at")
	step := fs.Duration("step", 6*time.Hour, "how often detection runs in the replay")
	pc := triage.DefaultPatterns
	fs.Float64Var(&pc.Similarity, "link", pc.Similarity, "the similarity detection links items at, in the incident scores and the replay")
	fs.IntVar(&pc.SpikeDays, "spike-days", pc.SpikeDays, "days of the current window")
	fs.Float64Var(&pc.Alpha, "alpha", pc.Alpha, "false-alarm rate of one run across its series")
	fs.IntVar(&pc.MinRise, "min-rise", pc.MinRise, "fewest items in the current window a spike needs")
	fs.BoolVar(&pc.Relative, "relative", false, "scale each forecast by how much everything else rose")
	out := fs.String("json", "", "also write the report as JSON to this `file`")
	cfg.bindGroups(fs, getenv, indexFlags|embedFlags)
	fs.about = "Scores pattern grouping against the labels and replays spike detection over the year."
	if err := parse(fs, args); err != nil {
		return err
	}
	thresholds, err := parseSimilarities(*sims)
	if err != nil {
		return fs.usageError("--similarity: %v", err)
	}
	if (*exceptions == "") != (*incidents == "") {
		return fs.usageError("give --exceptions and --incidents together, or neither to generate a year")
	}
	recs, incs, err := patternsData(gen, *exceptions, *incidents)
	if err != nil {
		return err
	}
	emb, err := newEmbedder(cfg)
	if err != nil {
		return err
	}
	rep, err := eval.Patterns(ctx, eval.PatternsInput{Records: recs, Incidents: incs, Embedder: emb,
		Prepare: disputes.PrepareText, Config: pc, Step: *step, Similarities: thresholds})
	if err != nil {
		return err
	}
	eval.WritePatternsReport(std.Out, rep)
	if *out != "" {
		b, _ := json.MarshalIndent(rep, "", "  ")
		return os.WriteFile(*out, append(b, '\n'), 0o644)
	}
	return nil
}

func parseSimilarities(s string) ([]float64, error) {
	var out []float64
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || v <= 0 || v > 1 {
			return nil, fmt.Errorf("%q is not a similarity in (0, 1]", f)
		}
		out = append(out, v)
	}
	return out, nil
}

// patternsData generates the year, or reads it and its incidents.
func patternsData(gen generate.Config, exceptions, incidents string) ([]dataset.Record, []generate.Incident, error) {
	if exceptions == "" {
		recs, _, _, incs, err := generate.GenerateWithIncidents(gen)
		return recs, incs, err
	}
	f, err := os.Open(exceptions)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	var recs []dataset.Record
	lineErrs, err := dataset.ReadRecords(f, func(r dataset.Record) error { recs = append(recs, r); return nil })
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", exceptions, err)
	}
	if len(lineErrs) > 0 {
		return nil, nil, fmt.Errorf("%s: %v", exceptions, lineErrs[0])
	}
	g, err := os.Open(incidents)
	if err != nil {
		return nil, nil, err
	}
	defer g.Close()
	incs, err := generate.ReadIncidents(g)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", incidents, err)
	}
	return recs, incs, nil
}

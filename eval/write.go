package eval

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
)

// Output file names.
const (
	MetricsJSON     = "metrics.json"
	ReportMD        = "report.md"
	LabelErrorsTXT  = "label_errors.txt"
	ConfusionCSV    = "confusion.csv"
	timingsFirstKey = `"latency_ms"`
)

// Output says where and how to write a result.
type Output struct {
	Dir string
	// Source names the input in the report.
	Source string
	// Compare, when set, adds a side-by-side table to the report.
	Compare *Comparison
}

// Write writes metrics.json, report.md, label_errors.txt, confusion.csv,
// cases.jsonl and the plots into out.Dir, creating it.
func Write(res *Result, out Output) error {
	if err := os.MkdirAll(out.Dir, 0o755); err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	mj, err := MarshalMetrics(res.Metrics)
	if err != nil {
		return err
	}
	files := []struct {
		name string
		data []byte
	}{
		{MetricsJSON, mj},
		{LabelErrorsTXT, labelErrors(res.Problems)},
		{ConfusionCSV, confusionCSV(res.Cases)},
		{CasesJSONL, casesJSONL(res.Cases)},
		{ReportMD, []byte(Report(res, out))},
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(out.Dir, f.name), f.data, 0o644); err != nil {
			return fmt.Errorf("eval: %w", err)
		}
	}
	return writePlots(out.Dir, res)
}

// MarshalMetrics encodes metrics.json: indented, keys in a fixed order
// (struct order, map keys sorted), a final newline.
func MarshalMetrics(m Metrics) ([]byte, error) {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("eval: encode metrics: %w", err)
	}
	return append(b, '\n'), nil
}

// DeterministicPart is metrics.json without its timings: the bytes before
// the "latency_ms" key, which two runs on the same input must share.
func DeterministicPart(metricsJSON []byte) []byte {
	if i := bytes.Index(metricsJSON, []byte(timingsFirstKey)); i >= 0 {
		return metricsJSON[:i]
	}
	return metricsJSON
}

func labelErrors(ps []Problem) []byte {
	var b bytes.Buffer
	for _, p := range ps {
		fmt.Fprintln(&b, p.String())
	}
	return b.Bytes()
}

// confusionCSV lists every (type, true, predicted) root-cause count, the
// full matrix the report can only summarise for large taxonomies.
func confusionCSV(cases []Case) []byte {
	counts := map[[3]string]int{}
	for _, c := range labelled(cases) {
		counts[[3]string{c.Type, c.LabelRootCause, c.RootCause}]++
	}
	keys := make([][3]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		for x := range 3 {
			if keys[i][x] != keys[j][x] {
				return keys[i][x] < keys[j][x]
			}
		}
		return false
	})
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"type", "true_root_cause", "predicted_root_cause", "count"})
	for _, k := range keys {
		_ = w.Write([]string{k[0], k[1], k[2], strconv.Itoa(counts[k])})
	}
	w.Flush()
	return b.Bytes()
}

package eval

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/billtriage/billtriage/dataset"
)

// Item is one usable record of the input and the line it came from.
// LabelProblem is set when the record carried a resolution that failed
// validation: the record is kept, without its label.
type Item struct {
	Line         int
	Record       dataset.Record
	LabelProblem string
}

// Labelled reports whether the item has a usable label.
func (it Item) Labelled() bool { return it.Record.Resolution != nil }

// Problem is a line of the input that could not be used as it was given.
type Problem struct {
	Line int
	Msg  string
}

// String renders the problem as "line N: message".
func (p Problem) String() string { return fmt.Sprintf("line %d: %s", p.Line, p.Msg) }

// Input is a dataset format v1 file as the harness reads it: the usable
// records with their line numbers, and the lines that were skipped.
type Input struct {
	Items    []Item
	Problems []Problem
}

// ReadInput reads dataset format v1 JSON Lines. It applies the dataset
// package's rules unchanged (through dataset.ReadRecords) and adds what a
// benchmark needs on top: the line of every record, so that a missing label
// can be reported by line, and the recovery of records whose only fault is
// their label, which are kept (unlabelled) rather than dropped, because
// they still count for latency.
func ReadInput(r io.Reader) (*Input, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("eval: read input: %w", err)
	}
	var recs []dataset.Record
	lineErrs, err := dataset.ReadRecords(bytes.NewReader(data), func(rec dataset.Record) error {
		recs = append(recs, rec)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	in, err := attachLines(splitLines(data), recs, lineErrs)
	if err != nil {
		return nil, err
	}
	in.dropDuplicates()
	return in, nil
}

// splitLines cuts data into lines exactly as dataset.ReadRecords does: on
// "\n", without a trailing "\r", with a leading byte order mark dropped.
func splitLines(data []byte) [][]byte {
	lines := bytes.Split(data, []byte("\n"))
	for i := range lines {
		lines[i] = bytes.TrimSuffix(lines[i], []byte("\r"))
	}
	if len(lines) > 0 {
		lines[0] = bytes.TrimPrefix(lines[0], []byte("\xef\xbb\xbf"))
	}
	return lines
}

// blank mirrors the reader's rule: blank lines are skipped silently, and an
// over-long line is never blank (it is reported as too long).
func blank(line []byte) bool {
	return len(line) <= dataset.MaxLineBytes && len(bytes.TrimSpace(line)) == 0
}

// attachLines gives each record its line. dataset.ReadRecords promises that
// every non-blank line is either passed on, in order, or reported, so the
// records fill the non-blank lines that carry no error. The counts are
// checked, so a change in the reader's rules fails loudly here instead of
// mislabelling lines.
func attachLines(lines [][]byte, recs []dataset.Record, lineErrs []*dataset.LineError) (*Input, error) {
	bad := make(map[int]*dataset.LineError, len(lineErrs))
	for _, le := range lineErrs {
		bad[le.Line] = le
	}
	in := &Input{}
	k := 0
	for i, line := range lines {
		n := i + 1
		if le, ok := bad[n]; ok {
			in.recover(n, line, le)
			continue
		}
		if blank(line) {
			continue
		}
		if k == len(recs) {
			return nil, fmt.Errorf("eval: internal: line %d has no record (reader rules changed?)", n)
		}
		in.Items = append(in.Items, Item{Line: n, Record: recs[k]})
		k++
	}
	if k != len(recs) {
		return nil, fmt.Errorf("eval: internal: %d records but %d lines (reader rules changed?)", len(recs), k)
	}
	return in, nil
}

// recover keeps a record whose only fault is its resolution, without it;
// any other fault skips the line.
func (in *Input) recover(n int, line []byte, le *dataset.LineError) {
	msg := (&dataset.LineError{Field: le.Field, Msg: le.Msg}).Error()
	if !strings.HasPrefix(le.Field, "resolution") {
		in.Problems = append(in.Problems, Problem{n, "skipped: " + msg})
		return
	}
	rec, ok := withoutResolution(line)
	if !ok {
		in.Problems = append(in.Problems, Problem{n, "skipped: " + msg})
		return
	}
	in.Items = append(in.Items, Item{Line: n, Record: rec, LabelProblem: msg})
}

// withoutResolution re-reads a line with its resolution removed.
func withoutResolution(line []byte) (dataset.Record, bool) {
	var obj map[string]json.RawMessage
	if json.Unmarshal(line, &obj) != nil {
		return dataset.Record{}, false
	}
	for k := range obj {
		// encoding/json matches field names case-insensitively, and so
		// does the dataset reader.
		if strings.EqualFold(k, "resolution") {
			delete(obj, k)
		}
	}
	b, err := json.Marshal(obj)
	if err != nil {
		return dataset.Record{}, false
	}
	var rec dataset.Record
	var got bool
	errs, err := dataset.ReadRecords(bytes.NewReader(b), func(r dataset.Record) error {
		rec, got = r, true
		return nil
	})
	return rec, err == nil && len(errs) == 0 && got
}

// dropDuplicates keeps the first record of each id, in line order. The
// reader already refuses repeats of the records it accepted; recovered
// records were not among them.
func (in *Input) dropDuplicates() {
	sort.SliceStable(in.Items, func(i, j int) bool { return in.Items[i].Line < in.Items[j].Line })
	first := make(map[string]int, len(in.Items))
	kept := in.Items[:0]
	for _, it := range in.Items {
		if l, dup := first[it.Record.ID]; dup {
			in.Problems = append(in.Problems, Problem{it.Line, fmt.Sprintf("skipped: field \"id\": duplicate id %q (first on line %d)", it.Record.ID, l)})
			continue
		}
		first[it.Record.ID] = it.Line
		kept = append(kept, it)
	}
	in.Items = kept
	sortProblems(in.Problems)
}

func sortProblems(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Line < ps[j].Line })
}

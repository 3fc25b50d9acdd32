package convert

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Stats reports a conversion: records written, rows left out on purpose
// (e.g. CFPB complaints without a narrative) and malformed rows, by line.
type Stats struct {
	Written  int
	Omitted  int
	Problems []string
}

func (s *Stats) problem(line int, format string, args ...any) {
	s.Problems = append(s.Problems, fmt.Sprintf("line %d: ", line)+fmt.Sprintf(format, args...))
}

// table reads a CSV with a header and finds columns by name, ignoring case
// and surrounding spaces, so a re-exported file with reordered columns
// still converts.
type table struct {
	r   *csv.Reader
	col map[string]int
}

func newTable(r io.Reader, required ...string) (*table, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true // narratives quote freely; a stray quote is not a reason to drop a row
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("convert: read header: %w", err)
	}
	t := &table{r: cr, col: map[string]int{}}
	for i, h := range head {
		t.col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, name := range required {
		if _, ok := t.col[name]; !ok {
			return nil, fmt.Errorf("convert: header has no %q column (has %s)", name, strings.Join(head, ", "))
		}
	}
	return t, nil
}

// next returns the next row and its first line; io.EOF at the end. A row
// the CSV reader cannot parse is reported through bad and skipped.
func (t *table) next(bad func(line int, err error)) ([]string, int, error) {
	for {
		row, err := t.r.Read()
		if pe, ok := errors.AsType[*csv.ParseError](err); ok {
			bad(pe.StartLine, pe.Err)
			continue
		}
		if err != nil {
			return nil, 0, err
		}
		line, _ := t.r.FieldPos(0)
		return row, line, nil
	}
}

// get returns the trimmed cell of the named column, "" when the row is short.
func (t *table) get(row []string, name string) string {
	i, ok := t.col[name]
	if !ok || i >= len(row) {
		return ""
	}
	return strings.TrimSpace(row[i])
}

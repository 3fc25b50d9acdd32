package dataset

import (
	"bytes"
	"fmt"
	"io"
)

// utf8BOM is stripped from the first line: editors on Windows add it and it
// would otherwise make a valid first line unparseable.
var utf8BOM = []byte("\xef\xbb\xbf")

// ReadRecords streams format v1 records from r and calls fn for each valid
// one, in input order. A malformed line is not fatal: it is skipped and
// reported in errs (in line order) with its 1-based line number; blank lines
// are skipped silently. err is reserved for read failures and for an error
// returned by fn, which stops the read (it is wrapped, so errors.Is works).
//
// Every non-blank line therefore ends up either passed to fn or in errs; a
// line over MaxLineBytes counts as non-blank (it is reported as too long).
// A record whose id repeats that of an earlier accepted record is reported
// as a duplicate.
func ReadRecords(r io.Reader, fn func(Record) error) (errs []*LineError, err error) {
	return ReadNumberedRecords(r, func(_ int, rec Record) error { return fn(rec) })
}

// ReadNumberedRecords is ReadRecords with each record's 1-based line
// number, for callers that check more than the format does and must name
// the line they reject.
func ReadNumberedRecords(r io.Reader, fn func(line int, rec Record) error) (errs []*LineError, err error) {
	lr := newLineReader(r, MaxLineBytes)
	seen := make(map[string]int) // id → line it was accepted on
	for n := 1; ; n++ {
		line, tooLong, err := lr.next()
		if err == io.EOF {
			return errs, nil
		}
		if err != nil {
			return errs, fmt.Errorf("dataset: read line %d: %w", n, err)
		}
		if n == 1 {
			line = bytes.TrimPrefix(line, utf8BOM)
		}
		rec, le := parseLine(line, tooLong, seen)
		if le == nil && rec == nil {
			continue
		}
		if le != nil {
			le.Line = n
			errs = append(errs, le)
			continue
		}
		seen[rec.ID] = n
		if err := fn(n, *rec); err != nil {
			return errs, fmt.Errorf("dataset: line %d: %w", n, err)
		}
	}
}

// parseLine returns nil, nil for a blank line.
func parseLine(line []byte, tooLong bool, seen map[string]int) (*Record, *LineError) {
	if tooLong {
		return nil, &LineError{Msg: fmt.Sprintf("line is longer than %d bytes", MaxLineBytes)}
	}
	if len(bytes.TrimSpace(line)) == 0 {
		return nil, nil
	}
	rec, le := decodeRecord(line)
	if le != nil {
		return nil, le
	}
	if first, dup := seen[rec.ID]; dup {
		return nil, fieldErr("id", fmt.Sprintf("duplicate id %q (first on line %d)", rec.ID, first))
	}
	return &rec, nil
}

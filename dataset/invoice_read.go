package dataset

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/billtriage/billtriage/triage"
)

// ReadInvoices streams invoices from a CSV with a header row and calls fn for
// each valid row, in input order. Header names are matched case-insensitively
// after trimming spaces; columns may come in any order and extra columns are
// kept in Invoice.Extra. A missing required column, a repeated column or an
// empty column name is fatal (err). A malformed row is skipped and reported
// in errs with its 1-based line number, the header being line 1; a quoted
// cell may span lines, and then the row's first line is reported. err is
// otherwise reserved for read failures and for an error returned by fn.
func ReadInvoices(r io.Reader, fn func(triage.Invoice) error) ([]*LineError, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // a short row is a LineError, not the end of the file
	h, err := readHeader(cr)
	if err != nil {
		return nil, err
	}
	var errs []*LineError
	seen := make(map[string]int) // invoice_id → line it was accepted on
	for {
		row, err := cr.Read()
		if err == io.EOF {
			return errs, nil
		}
		if pe, ok := errors.AsType[*csv.ParseError](err); ok {
			errs = append(errs, &LineError{Line: pe.StartLine, Msg: pe.Err.Error()})
			continue
		}
		if err != nil {
			return errs, fmt.Errorf("dataset: read invoices: %w", err)
		}
		line, _ := cr.FieldPos(0)
		inv, le := h.invoice(row, seen)
		if le != nil {
			le.Line = line
			errs = append(errs, le)
			continue
		}
		seen[inv.InvoiceID] = line
		if err := fn(inv); err != nil {
			return errs, fmt.Errorf("dataset: line %d: %w", line, err)
		}
	}
}

// header maps column names to their index in a row.
type header struct {
	index map[string]int // standard column → index
	extra []string       // extra column names by index, "" for standard ones
}

func readHeader(cr *csv.Reader) (*header, error) {
	names, err := cr.Read()
	if err == io.EOF {
		return nil, &LineError{Line: 1, Msg: "empty input: the header row is missing"}
	}
	if err != nil {
		return nil, fmt.Errorf("dataset: read invoice header: %w", err)
	}
	h := &header{index: make(map[string]int), extra: make([]string, len(names))}
	seen := make(map[string]bool)
	for i, name := range names {
		name = strings.TrimSpace(strings.TrimPrefix(name, string(utf8BOM)))
		key := strings.ToLower(name)
		switch {
		case name == "":
			return nil, &LineError{Line: 1, Msg: fmt.Sprintf("column %d has an empty name", i+1)}
		case seen[key]:
			return nil, &LineError{Line: 1, Field: name, Msg: "column appears more than once"}
		case isStandardColumn(key):
			h.index[key] = i
		default:
			h.extra[i] = name
		}
		seen[key] = true
	}
	return h, h.checkRequired()
}

func (h *header) checkRequired() error {
	var missing []string
	for _, c := range requiredColumns {
		if _, ok := h.index[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return &LineError{Line: 1, Msg: "missing required columns: " + strings.Join(missing, ", ")}
	}
	return nil
}

package generate

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
)

// TruthHeader is the header of a truth file.
var TruthHeader = []string{"id", "vague", "noisy"}

// WriteTruth writes the records' truth as CSV: id, vague, noisy.
func WriteTruth(w io.Writer, truth []Truth) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(TruthHeader); err != nil {
		return err
	}
	for _, t := range truth {
		if err := cw.Write([]string{t.ID, strconv.FormatBool(t.Vague), strconv.FormatBool(t.Noisy)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ReadTruth reads a truth file, by record id. A malformed line is an error
// naming it.
func ReadTruth(r io.Reader) (map[string]Truth, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(TruthHeader)
	out := map[string]Truth{}
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("truth line %d: %w", line, err)
		}
		if line == 1 {
			if rec[0] != TruthHeader[0] {
				return nil, fmt.Errorf("truth line 1: header must be %v", TruthHeader)
			}
			continue
		}
		vague, err := strconv.ParseBool(rec[1])
		if err != nil {
			return nil, fmt.Errorf("truth line %d: vague: %w", line, err)
		}
		noisy, err := strconv.ParseBool(rec[2])
		if err != nil {
			return nil, fmt.Errorf("truth line %d: noisy: %w", line, err)
		}
		out[rec[0]] = Truth{ID: rec[0], Vague: vague, Noisy: noisy}
	}
}

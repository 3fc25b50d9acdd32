package dataset

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
)

// WriteRecords writes recs as format v1 JSON Lines, in the given order.
// Output is deterministic: struct fields keep their declared order and map
// keys are sorted. HTML characters are not escaped, so e-mail addresses like
// <jane@example.com> stay readable. Every record is validated first (and ids
// must be unique), because a file that ReadRecords would reject is worse than
// an error here; nothing is written when validation fails.
func WriteRecords(w io.Writer, recs []Record) error {
	if err := checkRecords(recs); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for i := range recs {
		// Encode appends the "\n" that ends each line.
		if err := enc.Encode(&recs[i]); err != nil {
			return fmt.Errorf("dataset: record %d (id %q): %w", i, recs[i].ID, err)
		}
	}
	return bw.Flush()
}

func checkRecords(recs []Record) error {
	seen := make(map[string]int, len(recs))
	for i, rec := range recs {
		if le := validateRecord(rec); le != nil {
			return fmt.Errorf("dataset: record %d (id %q): %w", i, rec.ID, le)
		}
		if first, dup := seen[rec.ID]; dup {
			return fmt.Errorf("dataset: record %d: duplicate id %q (first at record %d)", i, rec.ID, first)
		}
		seen[rec.ID] = i
	}
	return nil
}

package generate

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/billtriage/billtriage/dataset"
)

// Drift is a connector changing what it sends from a given time on, as
// after an API version bump: From is renamed To in its records'
// attributes and in their texts (as a JSON key or key=value).
type Drift struct {
	Source, From, To string
	At               time.Time
}

// ParseDrift reads SOURCE:FROM=TO@YYYY-MM-DD, e.g.
// usage-pipeline:account_key=accountKey@2025-07-01.
func ParseDrift(s string) (Drift, error) {
	src, rest, ok1 := strings.Cut(s, ":")
	rename, day, ok2 := strings.Cut(rest, "@")
	from, to, ok3 := strings.Cut(rename, "=")
	at, err := time.Parse(time.DateOnly, day)
	if !ok1 || !ok2 || !ok3 || err != nil || src == "" || from == "" || to == "" || from == to {
		return Drift{}, fmt.Errorf("want SOURCE:FROM=TO@YYYY-MM-DD with FROM and TO different, got %q", s)
	}
	return Drift{Source: src, From: from, To: to, At: at}, nil
}

// ApplyDrift renames the field in every record of the source from d.At on
// and returns how many it changed. The records are otherwise untouched,
// so the rest of the history is the same bytes.
func ApplyDrift(recs []dataset.Record, d Drift) int {
	n := 0
	for i := range recs {
		r := &recs[i]
		if r.Source != d.Source || r.OccurredAt.Before(d.At) {
			continue
		}
		changed := false
		if v, ok := r.Attributes[d.From]; ok {
			delete(r.Attributes, d.From)
			r.Attributes[d.To] = v
			changed = true
		}
		for _, pair := range [][2]string{{`"` + d.From + `"`, `"` + d.To + `"`}, {d.From + "=", d.To + "="}} {
			if strings.Contains(r.Text, pair[0]) {
				r.Text = strings.ReplaceAll(r.Text, pair[0], pair[1])
				changed = true
			}
		}
		if changed {
			n++
		}
	}
	return n
}

// DriftTruthHeader is the header of a drift truth file.
var DriftTruthHeader = []string{"source", "from", "to", "at"}

// WriteDriftTruth writes the drift as CSV, for `eval drift`.
func WriteDriftTruth(w io.Writer, d Drift) error {
	cw := csv.NewWriter(w)
	if err := cw.WriteAll([][]string{DriftTruthHeader, {d.Source, d.From, d.To, d.At.Format(time.DateOnly)}}); err != nil {
		return err
	}
	return cw.Error()
}

// ReadDriftTruth reads drifts written by WriteDriftTruth.
func ReadDriftTruth(r io.Reader) ([]Drift, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(DriftTruthHeader)
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("drift truth: %w", err)
	}
	var out []Drift
	for i, row := range rows {
		if i == 0 {
			continue
		}
		at, err := time.Parse(time.DateOnly, row[3])
		if err != nil {
			return nil, fmt.Errorf("drift truth line %d: %w", i+1, err)
		}
		out = append(out, Drift{Source: row[0], From: row[1], To: row[2], At: at})
	}
	return out, nil
}

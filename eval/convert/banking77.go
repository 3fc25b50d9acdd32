package convert

import (
	"fmt"
	"io"
	"time"

	"github.com/billtriage/billtriage/dataset"
)

// Banking77 constants: see the package documentation for the mapping.
const (
	Banking77Source = "banking77"
	// Banking77HistoryShare is the stratified history fraction the times
	// encode; `eval --split 0.8` reproduces it exactly.
	Banking77HistoryShare = 0.8
)

// Banking77Start is the time of the first record; record k (0-based, in
// output order) occurred k minutes later.
var Banking77Start = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// Banking77 converts the BANKING77 CSV (columns text and category) into
// dataset format v1 on w.
func Banking77(r io.Reader, w io.Writer) (Stats, error) {
	var st Stats
	rows, err := readBanking77(r, &st)
	if err != nil {
		return st, err
	}
	intents := make([]string, len(rows))
	for i, row := range rows {
		intents[i] = row.intent
	}
	order, _ := stratify(intents, Banking77HistoryShare)
	recs := make([]dataset.Record, len(order))
	for k, i := range order {
		recs[k] = rows[i].record(Banking77Start.Add(time.Duration(k) * time.Minute))
	}
	if err := dataset.WriteRecords(w, recs); err != nil {
		return st, fmt.Errorf("convert: %w", err)
	}
	st.Written = len(recs)
	return st, nil
}

type bankingRow struct {
	n            int // data row number, 1-based, in file order
	text, intent string
}

func readBanking77(r io.Reader, st *Stats) ([]bankingRow, error) {
	t, err := newTable(r, "text", "category")
	if err != nil {
		return nil, err
	}
	var rows []bankingRow
	for n := 1; ; n++ {
		row, line, err := t.next(func(line int, err error) { st.problem(line, "%v", err) })
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("convert: %w", err)
		}
		text, intent := t.get(row, "text"), t.get(row, "category")
		if text == "" || Slug(intent) == "" {
			st.problem(line, "empty text or category")
			continue
		}
		rows = append(rows, bankingRow{n: n, text: text, intent: Slug(intent)})
	}
}

func (b bankingRow) record(at time.Time) dataset.Record {
	return dataset.Record{
		ID: fmt.Sprintf("banking77-%05d", b.n), OccurredAt: at, Type: "billing_dispute", Source: Banking77Source, Text: b.text,
		Resolution: &dataset.Resolution{RootCause: b.intent, Action: "route_" + b.intent, Queue: "support"},
	}
}

package dataset_test

import (
	"testing"
	"time"

	"github.com/billtriage/billtriage/dataset"
)

// validRecord returns a fully populated record that passes validation; tests
// break one field at a time.
func validRecord(id string) dataset.Record {
	amount := -12.5
	resolved := time.Date(2025, 3, 5, 9, 0, 0, 0, time.UTC)
	return dataset.Record{
		ID:         id,
		OccurredAt: time.Date(2025, 3, 4, 10, 15, 0, 0, time.UTC),
		Type:       "erp_posting_failure",
		Source:     "erp-connector",
		Text:       "NetSuite posting failed for <INV-10001>: period closed",
		CustomerID: "C-1001",
		InvoiceID:  "INV-10001",
		Amount:     &amount,
		Currency:   "EUR",
		Region:     "EMEA",
		Attributes: map[string]any{"erp": "netsuite", "retries": 2.0},
		Resolution: &dataset.Resolution{
			RootCause:  "closed_accounting_period",
			Action:     "repost_next_open_period",
			Params:     map[string]any{"period": "2025-04"},
			Queue:      "finance",
			ResolvedAt: &resolved,
		},
	}
}

// lineErrs flattens errors to comparable values.
type lineErr struct {
	Line  int
	Field string
}

func flatten(errs []*dataset.LineError) []lineErr {
	var out []lineErr
	for _, e := range errs {
		out = append(out, lineErr{e.Line, e.Field})
	}
	return out
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

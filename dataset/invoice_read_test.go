package dataset_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/triage"
)

const invHeader = "invoice_id,customer_id,issued_at,due_at,amount,currency,paid_at,disputed,region\n"

func readInvoices(t *testing.T, in string) ([]triage.Invoice, []*dataset.LineError, error) {
	t.Helper()
	var invs []triage.Invoice
	errs, err := dataset.ReadInvoices(strings.NewReader(in), func(inv triage.Invoice) error {
		invs = append(invs, inv)
		return nil
	})
	return invs, errs, err
}

func TestReadInvoicesFields(t *testing.T) {
	in := "\xef\xbb\xbfRegion, plan ,amount,currency,paid_at,invoice_id,customer_id,issued_at,due_at,disputed\n" +
		"EMEA,growth,1234.5,EUR,2025-02-20T13:00:00+01:00,INV-1,C-1,2025-01-10,2025-02-09,yes\n" +
		"NA,,-20,USD,,INV-2,C-2,2025-01-11T08:00:00Z,2025-01-11T08:00:00Z,\n"
	invs, errs, err := readInvoices(t, in)
	if err != nil || len(errs) != 0 {
		t.Fatalf("err %v, line errors %v", err, errs)
	}
	paid := mustTime(t, "2025-02-20T13:00:00+01:00")
	want := []triage.Invoice{
		{InvoiceID: "INV-1", CustomerID: "C-1", IssuedAt: time.Date(2025, 1, 10, 0, 0, 0, 0, time.UTC),
			DueAt: time.Date(2025, 2, 9, 0, 0, 0, 0, time.UTC), Amount: 1234.5, Currency: "EUR", PaidAt: &paid,
			Disputed: true, Region: "EMEA", Extra: map[string]string{"plan": "growth"}},
		{InvoiceID: "INV-2", CustomerID: "C-2", IssuedAt: mustTime(t, "2025-01-11T08:00:00Z"),
			DueAt: mustTime(t, "2025-01-11T08:00:00Z"), Amount: -20, Currency: "USD", Region: "NA"},
	}
	if !reflect.DeepEqual(invs, want) {
		t.Errorf("invoices = %+v\nwant %+v", invs, want)
	}
}

func TestReadInvoicesHeader(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // substring of the fatal error, "" for none
	}{
		{"optional columns may be absent", "invoice_id,customer_id,issued_at,due_at,amount,currency,paid_at\n", ""},
		{"missing columns named", "invoice_id,amount,currency,paid_at,region\n", "missing required columns: customer_id, issued_at, due_at"},
		{"duplicate column", "invoice_id,INVOICE_ID\n", `"INVOICE_ID": column appears more than once`},
		{"empty column name", strings.TrimSuffix(invHeader, "\n") + ",\n", "column 10 has an empty name"},
		{"empty input", "", "header row is missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := readInvoices(t, tt.in)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("err = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestReadInvoicesRows(t *testing.T) {
	row := func(s string) string { return s + "\n" }
	ok := "INV-9,C-1,2025-01-10,2025-02-09,10,USD,,false,NA"
	tests := []struct {
		name string
		rows string
		ids  int
		errs []lineErr
	}{
		{"good", row(ok), 1, nil},
		{"disputed spellings", row("A,C,2025-01-10,2025-01-10,1,USD,,TRUE,") + row("B,C,2025-01-10,2025-01-10,1,USD,,0,") + row("C,C,2025-01-10,2025-01-10,1,USD,,No,"), 3, nil},
		{"short row", row("INV-1,C-1") + row(ok), 1, []lineErr{{2, ""}}},
		{"bad date", row("INV-1,C-1,10/01/2025,2025-02-09,10,USD,,,") + row(ok), 1, []lineErr{{2, "issued_at"}}},
		{"missing due date", row("INV-1,C-1,2025-01-10,,10,USD,,,"), 0, []lineErr{{2, "due_at"}}},
		{"bad paid_at", row("INV-1,C-1,2025-01-10,2025-02-09,10,USD,never,,"), 0, []lineErr{{2, "paid_at"}}},
		{"grouped amount", row(`INV-1,C-1,2025-01-10,2025-02-09,"1,000",USD,,,`), 0, []lineErr{{2, "amount"}}},
		{"NaN amount", row("INV-1,C-1,2025-01-10,2025-02-09,NaN,USD,,,"), 0, []lineErr{{2, "amount"}}},
		{"bad disputed", row("INV-1,C-1,2025-01-10,2025-02-09,1,USD,,maybe,"), 0, []lineErr{{2, "disputed"}}},
		{"bad currency", row("INV-1,C-1,2025-01-10,2025-02-09,1,usd,,,"), 0, []lineErr{{2, "currency"}}},
		{"due before issue", row("INV-1,C-1,2025-01-10,2025-01-09,1,USD,,,"), 0, []lineErr{{2, "due_at"}}},
		{"duplicate id", row(ok) + row(ok), 1, []lineErr{{3, "invoice_id"}}},
		{"bare quote", row(`INV-"1,C-1,2025-01-10,2025-02-09,1,USD,,,`) + row(ok), 1, []lineErr{{2, ""}}},
		{"multi-line cell keeps later line numbers", row(`"INV-1","C-1",2025-01-10,2025-02-09,1,USD,,,"two`) + row(`lines"`) + row("x,C-1,2025-01-10,2025-02-09,1,usd,,,"), 1, []lineErr{{4, "currency"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			invs, errs, err := readInvoices(t, invHeader+tt.rows)
			if err != nil {
				t.Fatal(err)
			}
			if len(invs) != tt.ids {
				t.Errorf("got %d invoices, want %d", len(invs), tt.ids)
			}
			if got := flatten(errs); !reflect.DeepEqual(got, tt.errs) {
				t.Errorf("errors = %v, want %v (%v)", got, tt.errs, errs)
			}
		})
	}
}

func TestReadInvoicesCallbackErrorStops(t *testing.T) {
	stop := errors.New("stop")
	in := invHeader + "A,C,2025-01-10,2025-01-10,1,USD,,,\nB,C,2025-01-10,2025-01-10,1,USD,,,\n"
	calls := 0
	_, err := dataset.ReadInvoices(strings.NewReader(in), func(triage.Invoice) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("err = %v after %d calls, want stop after 1", err, calls)
	}
}

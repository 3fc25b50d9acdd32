package dataset_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/triage"
)

func TestWriteInvoicesRoundTrip(t *testing.T) {
	day := time.Date(2025, 1, 10, 0, 0, 0, 0, time.UTC)
	paid := time.Date(2025, 2, 11, 14, 30, 0, 0, time.FixedZone("", 3600))
	in := []triage.Invoice{
		{InvoiceID: "INV-2", CustomerID: "C-1", IssuedAt: day, DueAt: day.AddDate(0, 0, 30), Amount: 0.1 + 0.2,
			Currency: "JPY", PaidAt: &paid, Disputed: true, Region: "APAC", Extra: map[string]string{"plan": "a, \"quoted\"\nvalue"}},
		{InvoiceID: "INV-1", CustomerID: "C-2", IssuedAt: day, DueAt: day, Amount: -5, Currency: "USD",
			Extra: map[string]string{"owner": "kim"}},
	}
	var buf bytes.Buffer
	if err := dataset.WriteInvoices(&buf, in); err != nil {
		t.Fatal(err)
	}
	wantHead := "invoice_id,customer_id,issued_at,due_at,amount,currency,paid_at,disputed,region,owner,plan\n"
	if !strings.HasPrefix(buf.String(), wantHead) {
		t.Errorf("header = %q, want %q", strings.SplitN(buf.String(), "\n", 2)[0], wantHead)
	}
	if !strings.Contains(buf.String(), "INV-1,C-2,2025-01-10,2025-01-10,-5,USD,,false,,kim,\n") {
		t.Errorf("unexpected row format:\n%s", buf.String())
	}
	out, errs, err := readInvoices(t, buf.String())
	if err != nil || len(errs) != 0 {
		t.Fatalf("read back: %v %v", err, errs)
	}
	// Times compare by instant: the offset's name is not kept.
	if out[0].PaidAt == nil || !out[0].PaidAt.Equal(paid) || out[1].PaidAt != nil {
		t.Errorf("paid_at = %v, %v; want %v, nil", out[0].PaidAt, out[1].PaidAt, paid)
	}
	out[0].PaidAt, in[0].PaidAt = nil, nil
	if !reflect.DeepEqual(out, in) {
		t.Errorf("round trip = %+v\nwant %+v", out, in)
	}
}

func TestWriteInvoicesRefusesInvalid(t *testing.T) {
	day := time.Date(2025, 1, 10, 0, 0, 0, 0, time.UTC)
	inv := func(id string, extra map[string]string) triage.Invoice {
		return triage.Invoice{InvoiceID: id, CustomerID: "C", IssuedAt: day, DueAt: day, Currency: "USD", Extra: extra}
	}
	tests := []struct {
		name string
		invs []triage.Invoice
		want string
	}{
		{"invalid", []triage.Invoice{inv("", nil)}, `field "invoice_id"`},
		{"duplicate", []triage.Invoice{inv("A", nil), inv("A", nil)}, `duplicate invoice_id "A"`},
		{"case clash", []triage.Invoice{inv("A", map[string]string{"Plan": "x"}), inv("B", map[string]string{"plan": "y"})}, "differ only in case"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := dataset.WriteInvoices(&buf, tt.invs)
			if err == nil || !strings.Contains(err.Error(), tt.want) || buf.Len() != 0 {
				t.Errorf("err = %v (wrote %d bytes), want %q and no output", err, buf.Len(), tt.want)
			}
		})
	}
}

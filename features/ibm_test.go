package features_test

import (
	"encoding/csv"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/features"
	"github.com/billtriage/billtriage/internal/testenv"
	"github.com/billtriage/billtriage/triage"
)

const ibmHeader = "countryCode,customerID,PaperlessDate,invoiceNumber,InvoiceDate,DueDate,InvoiceAmount,Disputed,SettledDate,PaperlessBill,DaysToSettle,DaysLate\r\n"

func TestConvertIBM(t *testing.T) {
	in := ibmHeader +
		"391,0379-NEVHP,4/6/2013,0000611365,1/2/2013,2/1/2013,55.94,No,1/15/2013,Paper,13,0\r\n" +
		"406,8976-AMJEO,3/3/2012,0007900770,1/26/2013,2/25/2013,61.74,Yes,3/3/2013,Electronic,36,6\r\n"
	got, err := features.ConvertIBM(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	date := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	paid0, paid1 := date(2013, 1, 15), date(2013, 3, 3)
	want := []triage.Invoice{
		{InvoiceID: "0000611365", CustomerID: "0379-NEVHP", IssuedAt: date(2013, 1, 2), DueAt: date(2013, 2, 1),
			Amount: 55.94, Currency: "USD", PaidAt: &paid0, Region: "391",
			Extra: map[string]string{"paperless_bill": "Paper", "paperless_date": "4/6/2013"}},
		{InvoiceID: "0007900770", CustomerID: "8976-AMJEO", IssuedAt: date(2013, 1, 26), DueAt: date(2013, 2, 25),
			Amount: 61.74, Currency: "USD", PaidAt: &paid1, Disputed: true, Region: "406",
			Extra: map[string]string{"paperless_bill": "Electronic", "paperless_date": "3/3/2012"}},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d invoices, want %d", len(got), len(want))
	}
	for i := range want {
		if !sameInvoice(got[i], want[i]) {
			t.Errorf("invoice %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

func sameInvoice(a, b triage.Invoice) bool {
	var buf1, buf2 strings.Builder
	if dataset.WriteInvoices(&buf1, []triage.Invoice{a}) != nil || dataset.WriteInvoices(&buf2, []triage.Invoice{b}) != nil {
		return false
	}
	return buf1.String() == buf2.String()
}

func TestConvertIBMErrors(t *testing.T) {
	row := "391,C1,4/6/2013,001,1/2/2013,2/1/2013,55.94,No,1/15/2013,Paper,13,0\r\n"
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", "IBM header"},
		{"missing column", "countryCode,customerID\r\n", `lacks column "invoicenumber"`},
		{"bad date", ibmHeader + strings.Replace(row, "1/2/2013", "2013-01-02", 1), "line 2: InvoiceDate"},
		{"bad amount", ibmHeader + strings.Replace(row, "55.94", "5.5.5", 1), "InvoiceAmount"},
		{"bad flag", ibmHeader + strings.Replace(row, ",No,", ",Maybe,", 1), "Disputed"},
		{"due before issue", ibmHeader + strings.Replace(row, "2/1/2013", "1/1/2013", 1), "due_at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := features.ConvertIBM(strings.NewReader(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

const ibmPath = "../../shared/data/ibm-accounts-receivable/WA_Fn-UseC_-Accounts-Receivable.csv"

// openIBM opens the shared IBM file; it skips when the file is absent
// locally but fails under CI, where the file must be there.
func openIBM(t *testing.T) *os.File {
	t.Helper()
	f, err := os.Open(ibmPath)
	if err != nil {
		testenv.Missing(t, "IBM data: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// TestConvertIBMRealFile checks the whole sample against its documented
// shape and checks that Label with IBMLateDays reproduces DaysLate > 0.
func TestConvertIBMRealFile(t *testing.T) {
	invs, err := features.ConvertIBM(openIBM(t))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := csv.NewReader(openIBM(t)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(invs) != 2466 || len(raw) != len(invs)+1 {
		t.Fatalf("%d invoices from %d lines, want 2466", len(invs), len(raw))
	}
	late := 0
	for i, inv := range invs {
		daysLate, _ := strconv.Atoi(raw[i+1][11])
		got, known := features.Label(inv, features.IBMLateDays, inv.PaidAt.AddDate(1, 0, 0))
		if !known || got != (daysLate > 0) {
			t.Fatalf("invoice %s: label (%v, %v), DaysLate %d", inv.InvoiceID, got, known, daysLate)
		}
		if got {
			late++
		}
	}
	if late != 877 {
		t.Errorf("%d late invoices, PROVENANCE.md says 877", late)
	}
	var buf strings.Builder
	if err := dataset.WriteInvoices(&buf, invs); err != nil {
		t.Errorf("converted invoices do not write as the invoice CSV: %v", err)
	}
}

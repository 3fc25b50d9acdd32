package convert_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/eval/convert"
	"github.com/billtriage/billtriage/triage"
)

func TestIBMAccountsReceivableWritesTheInvoiceCSV(t *testing.T) {
	in := "countryCode,customerID,PaperlessDate,invoiceNumber,InvoiceDate,DueDate,InvoiceAmount,Disputed,SettledDate,PaperlessBill,DaysToSettle,DaysLate\r\n" +
		"391,0379-NEVHP,4/6/2013,0000611365,1/2/2013,2/1/2013,55.94,No,1/15/2013,Paper,13,0\r\n" +
		"406,8976-AMJEO,3/3/2012,0007900770,1/26/2013,2/25/2013,61.74,Yes,3/3/2013,Electronic,36,6\r\n"
	var out bytes.Buffer
	st, err := convert.IBMAccountsReceivable(strings.NewReader(in), &out)
	if err != nil || st.Written != 2 {
		t.Fatalf("IBMAccountsReceivable: %+v, %v; want 2 written", st, err)
	}
	var ids []string
	lineErrs, err := dataset.ReadInvoices(&out, func(inv triage.Invoice) error {
		ids = append(ids, inv.InvoiceID)
		return nil
	})
	if err != nil || len(lineErrs) > 0 || strings.Join(ids, ",") != "0000611365,0007900770" {
		t.Errorf("the output reads back as %v (line errors %v, error %v)", ids, lineErrs, err)
	}
}

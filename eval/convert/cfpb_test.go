package convert_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/eval/convert"
)

// cfpbCSV has its columns in another order and case than the CFPB export,
// a narrative over two lines, a complaint without narrative (omitted), one
// with a bad date and a repeated id (both reported by line).
const cfpbCSV = `complaint id,Date Received,Product,Sub-product,Issue,Sub-issue,Consumer complaint narrative,Company,State,Company response to consumer
300,2019/10/2,"Credit card or prepaid card",General-purpose credit card,Fees or interest,Problem with fees,"I was charged
a late fee twice.",BANK A,FL,Closed with monetary relief
100,2019/9/24,Debt collection,I do not know,Attempts to collect debt not owed,Debt is not yours,"They want money I do not owe.",COLLECTOR B,,Closed with explanation
200,2019/9/30,Mortgage,,Trouble during payment process,,,BANK C,TX,Closed with explanation
400,yesterday,Mortgage,,Trouble during payment process,,"Escrow is wrong.",BANK C,TX,Closed with explanation
100,2019/9/25,Mortgage,,Trouble during payment process,,"Another text.",BANK C,TX,Closed with explanation
`

func TestCFPB(t *testing.T) {
	var out bytes.Buffer
	st, err := convert.CFPB(strings.NewReader(cfpbCSV), &out)
	if err != nil {
		t.Fatal(err)
	}
	if st.Written != 2 || st.Omitted != 1 || len(st.Problems) != 2 ||
		!strings.HasPrefix(st.Problems[0], "line 6: date received") || !strings.HasPrefix(st.Problems[1], "line 7: duplicate") {
		t.Errorf("stats %+v", st)
	}
	var recs []dataset.Record
	if _, err := dataset.ReadRecords(&out, func(r dataset.Record) error { recs = append(recs, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 {
		t.Fatalf("records %+v", recs)
	}
	first, second := recs[0], recs[1] // in time order, not file order
	if first.ID != "cfpb-100" || !first.OccurredAt.Equal(time.Date(2019, 9, 24, 0, 0, 0, 0, time.UTC)) ||
		first.Resolution.RootCause != "debt_collection" || first.Resolution.Action != "attempts_to_collect_debt_not_owed" {
		t.Errorf("first %+v %+v", first, first.Resolution)
	}
	if _, ok := first.Attributes["state"]; ok || first.Attributes["company"] != "COLLECTOR B" {
		t.Errorf("empty cells should not become attributes: %v", first.Attributes)
	}
	if second.ID != "cfpb-300" || second.Text != "I was charged\na late fee twice." || second.Type != "billing_dispute" ||
		second.Resolution.RootCause != "credit_card_or_prepaid_card" || second.Resolution.Queue != "support" ||
		second.Attributes["sub_issue"] != nil || second.Attributes["company_response"] != nil || second.Attributes["sub_product"] != nil {
		t.Errorf("second %+v %+v", second, second.Resolution)
	}
}

func TestCFPBNeedsItsColumns(t *testing.T) {
	if _, err := convert.CFPB(strings.NewReader("Date received,Product\n2019/1/1,x\n"), &bytes.Buffer{}); err == nil {
		t.Error("a CSV without the narrative, issue and id columns should be refused")
	}
}

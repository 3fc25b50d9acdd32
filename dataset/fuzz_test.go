package dataset_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/triage"
)

// nonBlankLines counts lines the way ReadRecords does: split on "\n", a BOM
// at the very start dropped, whitespace-only lines ignored.
func nonBlankLines(data []byte) int {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	n := 0
	for line := range bytes.SplitSeq(data, []byte("\n")) {
		if len(bytes.TrimSpace(line)) > 0 {
			n++
		}
	}
	return n
}

func FuzzReadRecords(f *testing.F) {
	var buf bytes.Buffer
	if err := dataset.WriteRecords(&buf, []dataset.Record{validRecord("EXC-1"), validRecord("EXC-2")}); err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		buf.String(),
		good("a") + "\n" + good("a") + "\n\n{oops\n",
		"\xef\xbb\xbf" + good("a") + "\r\n null \r\n[1]",
		`{"id":"a","occurred_at":"2025-03-04T10:15:00+14:00","type":"other","text":"x","amount":-0,"attributes":{"k":[1,{"x":null}]}}`,
		`{"id":"a","occurred_at":"9999-12-31T23:59:59.999999999Z","type":"other","text":"x","resolution":{"root_cause":"r","action":"a","queue":"tax"}}`,
		`{"ID":"a","Occurred_At":"2025-03-04T10:15:00Z","TYPE":"other","text":"\u0000\ud800"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var recs []dataset.Record
		seen := make(map[string]bool)
		errs, err := dataset.ReadRecords(bytes.NewReader(data), func(r dataset.Record) error {
			if seen[r.ID] {
				t.Errorf("duplicate id %q passed to fn", r.ID)
			}
			seen[r.ID] = true
			if verr := dataset.Validate(r); verr != nil {
				t.Errorf("fn got an invalid record: %v", verr)
			}
			recs = append(recs, r)
			return nil
		})
		if err != nil {
			t.Fatalf("ReadRecords() error = %v on an in-memory reader", err)
		}
		if got, want := len(recs)+len(errs), nonBlankLines(data); got != want {
			t.Fatalf("%d records + %d errors, want %d non-blank lines", len(recs), len(errs), want)
		}
		assertLinesIncreasing(t, errs, strings.Count(string(data), "\n")+1)
		assertRecordsRoundTrip(t, recs)
	})
}

func assertLinesIncreasing(t *testing.T, errs []*dataset.LineError, lines int) {
	t.Helper()
	prev := 0
	for _, e := range errs {
		if e.Line <= prev || e.Line > lines || e.Msg == "" {
			t.Fatalf("bad LineError %+v after line %d of %d", e, prev, lines)
		}
		prev = e.Line
	}
}

func assertRecordsRoundTrip(t *testing.T, recs []dataset.Record) {
	t.Helper()
	var buf bytes.Buffer
	if err := dataset.WriteRecords(&buf, recs); err != nil {
		t.Fatalf("WriteRecords() of records just read: %v", err)
	}
	n := 0
	errs, err := dataset.ReadRecords(&buf, func(dataset.Record) error { n++; return nil })
	if err != nil || len(errs) != 0 || n != len(recs) {
		t.Fatalf("re-read %d of %d records, errors %v %v", n, len(recs), err, errs)
	}
}

func FuzzReadInvoices(f *testing.F) {
	for _, seed := range []string{
		invHeader + "INV-1,C-1,2025-01-10,2025-02-09,10.5,USD,2025-02-01,yes,NA\n",
		invHeader + "INV-1,C-1\n\"a\nb\",x\nINV-1,C-1,2025-01-10,2025-02-09,10,USD,,,\nINV-1,C-1,2025-01-10,2025-02-09,10,USD,,,",
		"\xef\xbb\xbfAmount,Currency,Paid_At,invoice_id,customer_id,issued_at,due_at,plan\r\n1e3,EUR,,A,B,2025-01-01T00:00:00Z,2025-01-01T00:00:00-01:00,\" x \"\r\n",
		"invoice_id,invoice_id\n",
		invHeader + `INV-"1,C-1,2025-01-10,2025-02-09,1,USD,,,` + "\n\"unterminated",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var invs []triage.Invoice
		errs, err := dataset.ReadInvoices(bytes.NewReader(data), func(inv triage.Invoice) error {
			if verr := dataset.ValidateInvoice(inv); verr != nil {
				t.Errorf("fn got an invalid invoice: %v", verr)
			}
			invs = append(invs, inv)
			return nil
		})
		lines := bytes.Count(data, []byte("\n")) + 1
		if err != nil {
			if len(errs)+len(invs) != 0 {
				t.Fatalf("fatal error %v after %d rows", err, len(errs)+len(invs))
			}
			return // a bad header is the only fatal error on an in-memory reader
		}
		if len(invs)+len(errs) > lines-1 {
			t.Fatalf("%d invoices + %d errors from %d lines after the header", len(invs), len(errs), lines-1)
		}
		assertLinesIncreasing(t, errs, lines)
		for _, e := range errs {
			if e.Line < 2 {
				t.Fatalf("row error on header line: %+v", e)
			}
		}
		assertInvoicesRoundTrip(t, invs)
	})
}

func assertInvoicesRoundTrip(t *testing.T, invs []triage.Invoice) {
	t.Helper()
	var buf bytes.Buffer
	if err := dataset.WriteInvoices(&buf, invs); err != nil {
		t.Fatalf("WriteInvoices() of invoices just read: %v", err)
	}
	n := 0
	errs, err := dataset.ReadInvoices(&buf, func(triage.Invoice) error { n++; return nil })
	if err != nil || len(errs) != 0 || n != len(invs) {
		t.Fatalf("re-read %d of %d invoices, errors %v %v", n, len(invs), err, errs)
	}
}

package dataset_test

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/billtriage/billtriage/dataset"
)

const goodLine = `{"id":"%s","occurred_at":"2025-03-04T10:15:00Z","type":"other","text":"hello"}`

func good(id string) string { return strings.Replace(goodLine, "%s", id, 1) }

func readAll(t *testing.T, in string) ([]dataset.Record, []*dataset.LineError) {
	t.Helper()
	var recs []dataset.Record
	errs, err := dataset.ReadRecords(strings.NewReader(in), func(r dataset.Record) error {
		recs = append(recs, r)
		return nil
	})
	if err != nil {
		t.Fatalf("ReadRecords() error = %v", err)
	}
	return recs, errs
}

func ids(recs []dataset.Record) []string {
	var out []string
	for _, r := range recs {
		out = append(out, r.ID)
	}
	return out
}

func TestReadRecordsLines(t *testing.T) {
	tests := []struct {
		name string
		in   string
		ids  []string
		errs []lineErr
	}{
		{"empty", "", nil, nil},
		{"one without newline", good("a"), []string{"a"}, nil},
		{"blank lines skipped but counted", "\n  \n" + good("a") + "\n\n" + `{"id":1}` + "\n", []string{"a"}, []lineErr{{5, "id"}}},
		{"crlf", good("a") + "\r\n" + good("b") + "\r\n", []string{"a", "b"}, nil},
		{"bom", "\xef\xbb\xbf" + good("a"), []string{"a"}, nil},
		{"not json", "{oops\n" + good("a"), []string{"a"}, []lineErr{{1, ""}}},
		{"not an object", "[1,2]\n\"s\"\n", nil, []lineErr{{1, ""}, {2, ""}}},
		{"null object", "null", nil, []lineErr{{1, "id"}}},
		{"duplicate id", good("a") + "\n" + good("a"), []string{"a"}, []lineErr{{2, "id"}}},
		{"rejected line does not reserve its id",
			`{"id":"a","type":"nope"}` + "\n" + good("a"), []string{"a"}, []lineErr{{1, "occurred_at"}}},
		{"unknown fields allowed", `{"id":"a","occurred_at":"2025-03-04T10:15:00Z","type":"other","text":"x","future":{"v":2}}`, []string{"a"}, nil},
		{"bad time", `{"id":"a","occurred_at":"2025-03-04 10:15","type":"other","text":"x"}`, nil, []lineErr{{1, "occurred_at"}}},
		{"bad type", `{"id":"a","occurred_at":"2025-03-04T10:15:00Z","type":"Other","text":"x"}`, nil, []lineErr{{1, "type"}}},
		{"missing text", `{"id":"a","occurred_at":"2025-03-04T10:15:00Z","type":"other"}`, nil, []lineErr{{1, "text"}}},
		{"amount as string", `{"id":"a","occurred_at":"2025-03-04T10:15:00Z","type":"other","text":"x","amount":"12"}`, nil, []lineErr{{1, "amount"}}},
		{"amount overflow", `{"id":"a","occurred_at":"2025-03-04T10:15:00Z","type":"other","text":"x","amount":1e999}`, nil, []lineErr{{1, "amount"}}},
		{"id not a string", `{"id":7,"occurred_at":"2025-03-04T10:15:00Z","type":"other","text":"x"}`, nil, []lineErr{{1, "id"}}},
		{"attributes not object", `{"id":"a","occurred_at":"2025-03-04T10:15:00Z","type":"other","text":"x","attributes":[1]}`, nil, []lineErr{{1, "attributes"}}},
		{"resolution not object", `{"id":"a","occurred_at":"2025-03-04T10:15:00Z","type":"other","text":"x","resolution":"fixed"}`, nil, []lineErr{{1, "resolution"}}},
		{"resolution missing action", `{"id":"a","occurred_at":"2025-03-04T10:15:00Z","type":"other","text":"x","resolution":{"root_cause":"r"}}`, nil, []lineErr{{1, "resolution.action"}}},
		{"resolution bad resolved_at", `{"id":"a","occurred_at":"2025-03-04T10:15:00Z","type":"other","text":"x","resolution":{"root_cause":"r","action":"a","resolved_at":"soon"}}`, nil, []lineErr{{1, "resolution.resolved_at"}}},
		{"resolution bad queue", `{"id":"a","occurred_at":"2025-03-04T10:15:00Z","type":"other","text":"x","resolution":{"root_cause":"r","action":"a","queue":"ops"}}`, nil, []lineErr{{1, "resolution.queue"}}},
		{"explicit nulls are absent", `{"id":"a","occurred_at":"2025-03-04T10:15:00Z","type":"other","text":"x","amount":null,"resolution":null,"attributes":null}`, []string{"a"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, errs := readAll(t, tt.in)
			if got := ids(recs); !reflect.DeepEqual(got, tt.ids) {
				t.Errorf("ids = %v, want %v", got, tt.ids)
			}
			if got := flatten(errs); !reflect.DeepEqual(got, tt.errs) {
				t.Errorf("errors = %v, want %v (%v)", got, tt.errs, errs)
			}
		})
	}
}

func TestReadRecordsDecodesEveryField(t *testing.T) {
	in := `{"id":"EXC-1","occurred_at":"2025-03-04T10:15:00Z","type":"erp_posting_failure","source":"erp-connector",` +
		`"text":"NetSuite posting failed for <INV-10001>: period closed","customer_id":"C-1001","invoice_id":"INV-10001",` +
		`"amount":-12.5,"currency":"EUR","region":"EMEA","attributes":{"erp":"netsuite","retries":2},` +
		`"resolution":{"root_cause":"closed_accounting_period","action":"repost_next_open_period",` +
		`"params":{"period":"2025-04"},"queue":"finance","resolved_at":"2025-03-05T09:00:00Z"}}`
	recs, errs := readAll(t, in)
	if len(errs) != 0 || len(recs) != 1 {
		t.Fatalf("got %d records, errors %v", len(recs), errs)
	}
	if want := validRecord("EXC-1"); !reflect.DeepEqual(recs[0], want) {
		t.Errorf("record = %+v\nwant %+v", recs[0], want)
	}
}

func TestReadRecordsLongLine(t *testing.T) {
	long := `{"id":"x","text":"` + strings.Repeat("a", dataset.MaxLineBytes) + `"}`
	// The padding sits in an unknown field, which is read and ignored: a
	// text or an attribute that long is over the exception's own limits.
	exact := `{"id":"y","occurred_at":"2025-03-04T10:15:00Z","type":"other","text":"t","pad":"`
	exact += strings.Repeat("b", dataset.MaxLineBytes-len(exact)-2) + `"}`
	in := good("a") + "\n" + long + "\n" + exact + "\r\n" + good("b") + "\n"
	recs, errs := readAll(t, in)
	if got, want := ids(recs), []string{"a", "y", "b"}; !reflect.DeepEqual(got, want) {
		t.Errorf("ids = %v, want %v", got, want)
	}
	if got, want := flatten(errs), []lineErr{{2, ""}}; !reflect.DeepEqual(got, want) {
		t.Errorf("errors = %v, want %v", got, want)
	}
}

func TestReadRecordsCallbackErrorStops(t *testing.T) {
	stop := errors.New("stop")
	calls := 0
	_, err := dataset.ReadRecords(strings.NewReader(good("a")+"\n"+good("b")), func(dataset.Record) error {
		calls++
		return stop
	})
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("err = %v after %d calls, want stop after 1", err, calls)
	}
}

func TestReadRecordsReadError(t *testing.T) {
	r := io.MultiReader(strings.NewReader(good("a")+"\n"), iotest.ErrReader(io.ErrUnexpectedEOF))
	var n int
	_, err := dataset.ReadRecords(r, func(dataset.Record) error { n++; return nil })
	if !errors.Is(err, io.ErrUnexpectedEOF) || n != 1 {
		t.Errorf("err = %v after %d records, want ErrUnexpectedEOF after 1", err, n)
	}
}

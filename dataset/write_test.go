package dataset_test

import (
	"bytes"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/billtriage/billtriage/dataset"
)

func TestWriteRecordsRoundTrip(t *testing.T) {
	in := []dataset.Record{validRecord("EXC-2"), validRecord("EXC-1")}
	in[1].Attributes = map[string]any{"z": "last", "a": "first", "m": map[string]any{"y": 1.0, "b": true}}
	var buf bytes.Buffer
	if err := dataset.WriteRecords(&buf, in); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Count(out, "\n") != 2 || !strings.HasSuffix(out, "\n") {
		t.Errorf("want two newline-terminated lines, got %q", out)
	}
	if !strings.Contains(out, "<INV-10001>") {
		t.Errorf("HTML characters were escaped: %q", out)
	}
	if !strings.Contains(out, `{"a":"first","m":{"b":true,"y":1},"z":"last"}`) {
		t.Errorf("map keys not sorted: %q", out)
	}
	recs, errs := readAll(t, out)
	if len(errs) != 0 || !reflect.DeepEqual(recs, in) {
		t.Errorf("round trip = %+v, errors %v; want %+v", recs, errs, in)
	}
	var again bytes.Buffer
	if err := dataset.WriteRecords(&again, recs); err != nil || again.String() != out {
		t.Errorf("second write differs (err %v)", err)
	}
}

func TestWriteRecordsRefusesInvalid(t *testing.T) {
	nan := math.NaN()
	bad := validRecord("EXC-3")
	bad.Amount = &nan
	tests := []struct {
		name string
		recs []dataset.Record
		want string
	}{
		{"invalid record", []dataset.Record{validRecord("EXC-1"), bad}, `record 1 (id "EXC-3"): field "amount"`},
		{"duplicate id", []dataset.Record{validRecord("EXC-1"), validRecord("EXC-1")}, `duplicate id "EXC-1"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := dataset.WriteRecords(&buf, tt.recs)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to mention %q", err, tt.want)
			}
			if buf.Len() != 0 {
				t.Errorf("wrote %d bytes despite the error", buf.Len())
			}
		})
	}
}

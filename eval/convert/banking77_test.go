package convert_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/eval/convert"
)

// bankingCSV has intents a ×5, b ×3, c ×2 and one row without text (line
// 7). Ten rows: the history gets floor(0.8 × 10) = 8. Quotas: a 4, b 2.4 →
// 2, c 1.6 → 1, which leaves one row for the largest remainder: c.
const bankingCSV = `text,category
a one,a
a two,a
b one,b
c one,c
a three,a
,b
b two,b
a four,a
c two,c
b three,b
a five,a
`

func convertBanking(t *testing.T, csv string) ([]dataset.Record, convert.Stats, []byte) {
	t.Helper()
	var out bytes.Buffer
	st, err := convert.Banking77(strings.NewReader(csv), &out)
	if err != nil {
		t.Fatal(err)
	}
	var recs []dataset.Record
	errs, err := dataset.ReadRecords(bytes.NewReader(out.Bytes()), func(r dataset.Record) error {
		recs = append(recs, r)
		return nil
	})
	if err != nil || len(errs) > 0 {
		t.Fatalf("output is not valid format v1: %v %v", err, errs)
	}
	return recs, st, out.Bytes()
}

func TestBanking77(t *testing.T) {
	recs, st, out := convertBanking(t, bankingCSV)
	if st.Written != 10 || len(st.Problems) != 1 || !strings.HasPrefix(st.Problems[0], "line 7: ") {
		t.Errorf("stats %+v", st)
	}
	history := map[string]int{}
	for k, r := range recs {
		if want := convert.Banking77Start.Add(time.Duration(k) * time.Minute); !r.OccurredAt.Equal(want) {
			t.Errorf("record %d occurred at %v, want %v", k, r.OccurredAt, want)
		}
		res := r.Resolution
		if r.Type != "billing_dispute" || r.Source != "banking77" || res.Action != "route_"+res.RootCause || res.Queue != "support" {
			t.Errorf("record %+v / %+v", r, res)
		}
		if want := res.RootCause + " "; !strings.HasPrefix(r.Text, want) {
			t.Errorf("record %s: text %q is not from intent %s", r.ID, r.Text, res.RootCause)
		}
		if k < 8 {
			history[res.RootCause]++
		}
	}
	if history["a"] != 4 || history["b"] != 2 || history["c"] != 2 {
		t.Errorf("history per intent %v, want a 4, b 2, c 2", history)
	}
	if recs[0].ID[:len("banking77-")] != "banking77-" || len(recs[0].ID) != len("banking77-00001") {
		t.Errorf("id %q", recs[0].ID)
	}
	_, _, again := convertBanking(t, bankingCSV)
	if !bytes.Equal(out, again) {
		t.Error("two conversions of the same file differ")
	}
}

func TestBanking77NeedsItsColumns(t *testing.T) {
	if _, err := convert.Banking77(strings.NewReader("query,label\nx,y\n"), &bytes.Buffer{}); err == nil {
		t.Error("a CSV without text and category columns should be refused")
	}
}

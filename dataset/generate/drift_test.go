package generate_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/dataset/generate"
)

func TestParseDrift(t *testing.T) {
	d, err := generate.ParseDrift("usage-pipeline:account_key=accountKey@2025-07-01")
	if err != nil || d != (generate.Drift{Source: "usage-pipeline", From: "account_key", To: "accountKey", At: time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)}) {
		t.Errorf("parsed %+v (%v)", d, err)
	}
	for _, bad := range []string{"", "src", "src:a=b", "src:a@2025-01-01", "src:a=a@2025-01-01", ":a=b@2025-01-01", "src:a=b@July"} {
		if _, err := generate.ParseDrift(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestApplyDriftRenamesOnlyTheSourceFromItsDay(t *testing.T) {
	cfg := generate.Config{Seed: 4, Exceptions: 600, Invoices: 100}
	recs, _, err := generate.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	orig, _, _ := generate.Generate(cfg)
	d := generate.Drift{Source: "usage-pipeline", From: "account_key", To: "accountKey", At: time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)}
	n := generate.ApplyDrift(recs, d)
	if n == 0 {
		t.Fatal("nothing renamed")
	}
	changed := 0
	for i, r := range recs {
		after := r.Source == d.Source && !r.OccurredAt.Before(d.At)
		_, hasOld := r.Attributes["account_key"]
		_, hasNew := r.Attributes["accountKey"]
		switch {
		case !after && !reflect.DeepEqual(r, orig[i]):
			t.Errorf("%s changed though it is not the source's after %s", r.ID, d.At)
		case after && (hasOld || strings.Contains(r.Text, `"account_key"`)):
			t.Errorf("%s keeps account_key", r.ID)
		case hasNew:
			changed++
		}
	}
	if changed != n {
		t.Errorf("%d records carry accountKey, ApplyDrift said %d", changed, n)
	}
	var buf bytes.Buffer
	if err := generate.WriteDriftTruth(&buf, d); err != nil {
		t.Fatal(err)
	}
	if back, err := generate.ReadDriftTruth(&buf); err != nil || len(back) != 1 || back[0] != d {
		t.Errorf("read back %+v (%v)", back, err)
	}
}

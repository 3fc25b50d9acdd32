package generate_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/billtriage/billtriage/dataset/generate"
)

func TestTruthRoundTrip(t *testing.T) {
	_, _, truth, err := generate.GenerateWithTruth(generate.Config{Seed: 3, Exceptions: 400, Invoices: 100})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := generate.WriteTruth(&b, truth); err != nil {
		t.Fatal(err)
	}
	got, err := generate.ReadTruth(&b)
	if err != nil {
		t.Fatal(err)
	}
	vague := 0
	for _, tr := range truth {
		if got[tr.ID] != tr {
			t.Fatalf("%s: read %+v, wrote %+v", tr.ID, got[tr.ID], tr)
		}
		if tr.Vague {
			vague++
		}
	}
	// About 5% of texts are vague: a generator change that drops them
	// would make the vague-text figures meaningless.
	if len(got) != 400 || vague < 5 || vague > 40 {
		t.Errorf("%d records, %d vague", len(got), vague)
	}
}

func TestReadTruthNamesTheBadLine(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"bad header", "x,vague,noisy\n", "line 1"},
		{"bad bool", "id,vague,noisy\nEXC-1,false,false\nEXC-2,maybe,false\n", "line 3: vague"},
		{"short line", "id,vague,noisy\nEXC-1,false\n", "line 2"},
	}
	for _, tt := range tests {
		if _, err := generate.ReadTruth(strings.NewReader(tt.in)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want an error naming %q", tt.name, err, tt.want)
		}
	}
}

func FuzzReadTruth(f *testing.F) {
	f.Add("id,vague,noisy\nEXC-1,true,false\n")
	f.Add("id,vague,noisy\n\"a,b\",false,true\n")
	f.Fuzz(func(t *testing.T, in string) {
		got, err := generate.ReadTruth(strings.NewReader(in))
		if err == nil && got == nil {
			t.Error("nil map without an error")
		}
	})
}

package generate_test

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/dataset/generate"
)

// TestDefaultOutputIsUnchanged pins the bytes of worlds that BENCHMARKS.md
// and `make eval` depend on: a change to the generator that moves them
// silently moves every published figure. The timeline options (End, Open)
// must leave these worlds alone when unset. If a change is meant to move
// them, rerun the benchmarks and update the hashes together.
func TestDefaultOutputIsUnchanged(t *testing.T) {
	tests := []struct {
		name                     string
		cfg                      generate.Config
		exceptions, invoices, tr string
	}{
		{"make eval and make demo before --end", generate.Config{Seed: 42, Exceptions: 5000, Invoices: 3000},
			"6c3fd4fe2be5ea2462ab4e64627136bc8ce56ddd2ab84ce5f21210118e93a678",
			"61014a06a0ffe408cb56f244423fac8b520499adebbdf405eaedaa2a35ed4c47",
			"9edb2a2fc5fd6df31fcb50a2a5290b874856075da7448f833e9d10b2af55e3c4"},
		{"generate's flag defaults", generate.Config{Seed: 1, Exceptions: 5000, Invoices: 3000},
			"b40bd4d0a1a99f0d594df9bd3ee41fda6289aedfaed1b2d9bfa761e84a99c26c",
			"f28d92d73d72c7ccde0a9a28374c6fdb0ba9f878e9394e88c4367d91f42067f7",
			"b87aa883b30f45507c37f854782610c9bde12c4de80b3606efe239937425baa6"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, invs, truth, err := generate.GenerateWithTruth(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			re, ie, te := sha256.New(), sha256.New(), sha256.New()
			if err := dataset.WriteRecords(re, recs); err != nil {
				t.Fatal(err)
			}
			if err := dataset.WriteInvoices(ie, invs); err != nil {
				t.Fatal(err)
			}
			if err := generate.WriteTruth(te, truth); err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct{ file, got, want string }{
				{"exceptions.jsonl", hex.EncodeToString(re.Sum(nil)), tt.exceptions},
				{"invoices.csv", hex.EncodeToString(ie.Sum(nil)), tt.invoices},
				{"truth.csv", hex.EncodeToString(te.Sum(nil)), tt.tr},
			} {
				if c.got != c.want {
					t.Errorf("%s: sha256 %s, want %s", c.file, c.got, c.want)
				}
			}
		})
	}
}

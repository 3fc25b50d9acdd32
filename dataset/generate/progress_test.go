package generate_test

import (
	"testing"

	"github.com/billtriage/billtriage/dataset/generate"
)

// TestGenerateProgress checks that Progress counts every exception and
// leaves the output alone.
func TestGenerateProgress(t *testing.T) {
	cfg := generate.Config{Seed: 9, Exceptions: 250, Invoices: 100}
	recs, invs, err := generate.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	wantRecs, wantInvs := encode(t, recs, invs)
	var calls []int
	cfg.Progress = func(done, total int) {
		if total != cfg.Exceptions {
			t.Errorf("total %d, want %d", total, cfg.Exceptions)
		}
		calls = append(calls, done)
	}
	recs, invs, err = generate.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if gotRecs, gotInvs := encode(t, recs, invs); gotRecs != wantRecs || gotInvs != wantInvs {
		t.Error("Progress changed the output")
	}
	if len(calls) != cfg.Exceptions {
		t.Fatalf("%d calls, want %d", len(calls), cfg.Exceptions)
	}
	for i, d := range calls {
		if d != i+1 {
			t.Fatalf("call %d reported %d done", i, d)
		}
	}
}

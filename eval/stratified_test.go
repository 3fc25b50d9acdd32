package eval_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/eval"
	"github.com/billtriage/billtriage/eval/convert"
)

// The banking77 converter encodes a stratified 80/20 split in the times;
// eval's --split 0.8 and --split-at must both recover it exactly.
func TestBanking77SplitIsStratified(t *testing.T) {
	// Intents a ×7, b ×5, c ×3: n = 15, history floor(12.0) = 12 rows.
	// Quotas 5.6 → 5, 4 → 4, 2.4 → 2; the twelfth goes to the largest
	// remainder, a.
	var csv strings.Builder
	csv.WriteString("text,category\n")
	for _, g := range []struct {
		intent string
		n      int
	}{{"a", 7}, {"b", 5}, {"c", 3}} {
		for i := range g.n {
			fmt.Fprintf(&csv, "query %d about %s,%s\n", i, g.intent, g.intent)
		}
	}
	var out bytes.Buffer
	if _, err := convert.Banking77(strings.NewReader(csv.String()), &out); err != nil {
		t.Fatal(err)
	}
	in, err := eval.ReadInput(&out)
	if err != nil {
		t.Fatal(err)
	}
	at := convert.Banking77Start.Add(12 * time.Minute)
	tests := []struct {
		name string
		frac float64
		at   time.Time
	}{{"fraction", convert.Banking77HistoryShare, time.Time{}}, {"time", 0, at}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := eval.SplitItems(in.Items, tc.frac, tc.at)
			if err != nil {
				t.Fatal(err)
			}
			hist := map[string]int{}
			for _, it := range s.History {
				hist[it.Record.Resolution.RootCause]++
			}
			if len(s.History) != 12 || hist["a"] != 6 || hist["b"] != 4 || hist["c"] != 2 || !s.At.Equal(at) {
				t.Errorf("history %v (%d) split at %v; want a 6, b 4, c 2 at %v", hist, len(s.History), s.At, at)
			}
		})
	}
}

package eval_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/billtriage/billtriage/eval"
)

const (
	labelled   = `{"id":"%s","occurred_at":"2025-01-0%dT00:00:00Z","type":"usage_mismatch","text":"usage late","resolution":{"root_cause":"late","action":"rerun"}}`
	unlabelled = `{"id":"%s","occurred_at":"2025-01-0%dT00:00:00Z","type":"usage_mismatch","text":"usage late"}`
)

func line(format, id string, day int) string { return fmt.Sprintf(format, id, day) }

func TestReadInput(t *testing.T) {
	badQueue := strings.Replace(line(labelled, "q", 4), `"action":"rerun"`, `"action":"rerun","queue":"nowhere"`, 1)
	noCause := strings.Replace(line(labelled, "c", 5), `"root_cause":"late"`, `"root_cause":""`, 1)
	input := strings.Join([]string{
		"\xef\xbb\xbf" + line(labelled, "a", 1), // 1: BOM dropped
		"",                                      // 2: blank
		line(unlabelled, "b", 2),                // 3: kept, no label
		`{"id":"x","type":"usage_mismatch"}`,    // 4: skipped: no occurred_at
		"   ",                                   // 5: blank
		badQueue,                                // 6: kept without its label
		noCause + "\r",                          // 7: kept without its label
		line(labelled, "a", 6),                  // 8: duplicate of line 1
		"not json",                              // 9: skipped
		line(labelled, "d", 7),                  // 10
	}, "\n") + "\n"
	in, err := eval.ReadInput(strings.NewReader(input))
	if err != nil {
		t.Fatal(err)
	}
	wantItems := []struct {
		line     int
		id       string
		labelled bool
		problem  bool
	}{{1, "a", true, false}, {3, "b", false, false}, {6, "q", false, true}, {7, "c", false, true}, {10, "d", true, false}}
	if len(in.Items) != len(wantItems) {
		t.Fatalf("items %+v", in.Items)
	}
	for i, w := range wantItems {
		it := in.Items[i]
		if it.Line != w.line || it.Record.ID != w.id || it.Labelled() != w.labelled || (it.LabelProblem != "") != w.problem {
			t.Errorf("item %d = line %d id %s labelled %v problem %q; want %+v", i, it.Line, it.Record.ID, it.Labelled(), it.LabelProblem, w)
		}
	}
	wantProblems := []string{"line 4: skipped: field \"occurred_at\"", "line 8: skipped: field \"id\": duplicate", "line 9: skipped: not a JSON object"}
	if len(in.Problems) != len(wantProblems) {
		t.Fatalf("problems %v", in.Problems)
	}
	for i, w := range wantProblems {
		if !strings.HasPrefix(in.Problems[i].String(), w) {
			t.Errorf("problem %d = %q, want prefix %q", i, in.Problems[i], w)
		}
	}
	if !strings.Contains(in.Items[2].LabelProblem, "resolution.queue") {
		t.Errorf("label problem %q should name resolution.queue", in.Items[2].LabelProblem)
	}
}

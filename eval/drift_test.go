package eval_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/dataset/generate"
	"github.com/billtriage/billtriage/eval"
	"github.com/billtriage/billtriage/triage"
)

// feed is a connector sending four records a day for 120 days whose key
// is renamed on day 90, beside a steady one.
func feed() ([]dataset.Record, generate.Drift) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	d := generate.Drift{Source: "relay", From: "org", To: "orgRef", At: start.AddDate(0, 0, 90)}
	var recs []dataset.Record
	for i := range 480 {
		at := start.Add(time.Duration(i) * 6 * time.Hour)
		for _, src := range []string{"relay", "steady"} {
			key := "org"
			if src == "relay" && !at.Before(d.At) {
				key = d.To
			}
			recs = append(recs, dataset.Record{ID: fmt.Sprintf("%s-%d", src, i), Source: src, OccurredAt: at, Type: "other",
				Text: "batch posted", Attributes: map[string]any{key: fmt.Sprintf("o-%d", i%37)}})
		}
	}
	return recs, d
}

func TestReplayDriftDetectsTheSeededDriftAndNothingElse(t *testing.T) {
	recs, d := feed()
	rep := eval.ReplayDrift(recs, []generate.Drift{d}, triage.DriftConfig{})
	if len(rep.Drifts) != 1 || !rep.Drifts[0].Detected || rep.Drifts[0].Days == nil || *rep.Drifts[0].Days > 5 {
		t.Fatalf("drifts %+v", rep.Drifts)
	}
	if len(rep.FalseAlarms) != 0 || rep.PerMonth == nil || *rep.PerMonth != 0 {
		t.Errorf("false alarms %+v (%v a month)", rep.FalseAlarms, rep.PerMonth)
	}
	// Without the truth, the same findings are all false alarms.
	if bare := eval.ReplayDrift(recs, nil, triage.DriftConfig{}); len(bare.FalseAlarms) != len(rep.Findings) || len(bare.FalseAlarms) == 0 {
		t.Errorf("without truth: %d false alarms of %d findings", len(bare.FalseAlarms), len(rep.Findings))
	}
}

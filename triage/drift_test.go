package triage_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// payloads makes n records of a source in shapes of its own: a
// tenant key like "T/0042", a numeric region code, one of two log lines.
func payloads(src string, from, n int, change func(i int, ex *triage.Exception)) []triage.Exception {
	r := rand.New(rand.NewPCG(uint64(from), 7))
	out := make([]triage.Exception, n)
	for i := range out {
		ex := triage.Exception{Source: src, ExternalID: fmt.Sprintf("%s-%d", src, from+i), Type: triage.Other,
			OccurredAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(from+i) * time.Hour),
			CustomerID: fmt.Sprintf("cust.%d", r.IntN(50)),
			Attributes: map[string]any{"tenant": fmt.Sprintf("T/%04d", r.IntN(9999)), "zone": float64(r.IntN(9))}}
		if r.IntN(2) == 0 {
			ex.Text = fmt.Sprintf("sync job finished for tenant %d with warnings", r.IntN(99))
		} else {
			ex.Text = fmt.Sprintf("quota exceeded while rating batch %d", r.IntN(99))
		}
		if r.IntN(10) == 0 {
			ex.Attributes["note"] = "manual"
		}
		if change != nil {
			change(i, &ex)
		}
		out[i] = ex
	}
	return out
}

func TestCompareProfilesFindsDriftBeyondNoise(t *testing.T) {
	base := triage.ProfileOf(payloads("hub", 0, 300, nil))["hub"]
	tests := []struct {
		name   string
		change func(i int, ex *triage.Exception)
		kinds  []triage.DriftKind
		field  string
	}{
		{"noise only", nil, nil, ""},
		{"renamed key", func(_ int, ex *triage.Exception) {
			ex.Attributes["tenantId"] = ex.Attributes["tenant"]
			delete(ex.Attributes, "tenant")
		}, []triage.DriftKind{triage.DriftNewField, triage.DriftVanishedField}, "attributes.tenantId"},
		{"type change", func(_ int, ex *triage.Exception) { ex.Attributes["zone"] = "eu" }, []triage.DriftKind{triage.DriftTypeChange}, "attributes.zone"},
		{"key changes shape", func(i int, ex *triage.Exception) { ex.Attributes["tenant"] = fmt.Sprintf("tn_%x", 4096+i) },
			[]triage.DriftKind{triage.DriftShapeChange}, "attributes.tenant"},
		{"template stops", func(i int, ex *triage.Exception) { ex.Text = fmt.Sprintf("quota exceeded while rating batch %d", i) },
			[]triage.DriftKind{triage.DriftTemplateVanished}, "text"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cur := triage.ProfileOf(payloads("hub", 1000, 30, tc.change))["hub"]
			fs := triage.CompareProfiles(base, cur)
			if len(fs) != len(tc.kinds) {
				t.Fatalf("findings %+v, want kinds %v", fs, tc.kinds)
			}
			for i, f := range fs {
				if f.Kind != tc.kinds[i] || len(f.Examples) == 0 || f.Before == "" || f.After == "" {
					t.Errorf("finding %+v, want kind %s with before, after and examples", f, tc.kinds[i])
				}
			}
			if len(fs) > 0 && fs[0].Field != tc.field {
				t.Errorf("first finding on %s, want %s", fs[0].Field, tc.field)
			}
		})
	}
}

func TestARareFieldClusteringIsNotDrift(t *testing.T) {
	// "flag" rides on 5 of 300 baseline records, then on 4 of 20: more
	// than its rate, but not beyond chance.
	flagged := func(every int) func(int, *triage.Exception) {
		return func(i int, ex *triage.Exception) {
			if i%every == 0 {
				ex.Attributes["flag"] = "y"
			}
		}
	}
	base := triage.ProfileOf(payloads("hub", 0, 300, flagged(60)))["hub"]
	cur := triage.ProfileOf(payloads("hub", 1000, 20, flagged(5)))["hub"]
	if base.Fields["attributes.flag"].Present != 5 || cur.Fields["attributes.flag"].Present != 4 {
		t.Fatalf("flag on %d and %d records", base.Fields["attributes.flag"].Present, cur.Fields["attributes.flag"].Present)
	}
	if fs := triage.CompareProfiles(base, cur); len(fs) != 0 {
		t.Errorf("findings %+v", fs)
	}
	// Never seen before, the same 4 of 20 are drift.
	plain := triage.ProfileOf(payloads("hub", 0, 300, nil))["hub"]
	if fs := triage.CompareProfiles(plain, cur); len(fs) != 1 || fs[0].Kind != triage.DriftNewField {
		t.Errorf("findings %+v, want the new field", fs)
	}
}

func TestFindDriftJudgesEachSourceAndStaysQuiet(t *testing.T) {
	rename := func(_ int, ex *triage.Exception) {
		ex.Attributes["tenantId"] = ex.Attributes["tenant"]
		delete(ex.Attributes, "tenant")
	}
	recs := append(payloads("hub", 0, 300, nil), payloads("edge", 0, 300, nil)...)
	recs = append(recs, payloads("hub", 300, 25, rename)...) // the job ran late: 5 in the baseline
	recs = append(recs, payloads("edge", 300, 25, nil)...)
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	fs := triage.FindDrift(recs, triage.DriftConfig{}, nil, now)
	if len(fs) != 2 || fs[0].Source != "hub" || fs[1].Source != "hub" || !fs[0].DetectedAt.Equal(now) {
		t.Fatalf("findings %+v, want the hub's rename only", fs)
	}
	quiet := map[string]bool{fs[0].Key(): true, fs[1].Key(): true}
	if again := triage.FindDrift(recs, triage.DriftConfig{}, quiet, now); len(again) != 0 {
		t.Errorf("reported again: %+v", again)
	}
	if few := triage.FindDrift(recs[:40], triage.DriftConfig{}, nil, now); len(few) != 0 {
		t.Errorf("judged a source with too short a baseline: %+v", few)
	}
}

func TestValueShapeAndTextTemplate(t *testing.T) {
	for in, want := range map[string]string{"acct_3514": "a_9", "C-1001": "A-9", "USD": "A", "tn_ff0a": "a_a9a", "": ""} {
		if got := triage.ValueShape(in); got != want {
			t.Errorf("ValueShape(%q) = %q, want %q", in, got, want)
		}
	}
	if a, b := triage.TextTemplate("Batch 17 for INV-9 failed: timeout"), triage.TextTemplate("Batch 99 for INV-12 failed: timeout"); a != b || a != "batch for inv failed" {
		t.Errorf("templates %q and %q", a, b)
	}
}

func TestDriftConfigIsValidated(t *testing.T) {
	if err := (triage.DriftConfig{Queue: "ops"}).Validate(); triage.ErrorField(err) != "drift_queue" {
		t.Errorf("unknown queue: %v", err)
	}
	if err := (triage.DriftConfig{Current: -1}).Validate(); triage.ErrorCode(err) != triage.EINVALID {
		t.Errorf("negative window: %v", err)
	}
	if err := (triage.DriftConfig{Queue: triage.QueueFinance}).Validate(); err != nil {
		t.Errorf("valid: %v", err)
	}
}

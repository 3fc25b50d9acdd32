package triage_test

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// TestAlarmAndBrakeSettingsAreValidatedNamingTheField checks that a bad
// threshold in the policy's alarms or brake groups is refused as invalid
// input naming the field, and that good ones are taken.
func TestAlarmAndBrakeSettingsAreValidatedNamingTheField(t *testing.T) {
	tests := []struct {
		name, body, field string
	}{
		{"precision above 1", `"alarms":{"min_precision":1.5}`, "alarms.min_precision"},
		{"negative psi", `"alarms":{"max_confidence_psi":-0.1}`, "alarms.max_confidence_psi"},
		{"zero verdicts", `"alarms":{"min_verdicts":0}`, "alarms.min_verdicts"},
		{"share above 1", `"alarms":{"max_unseen_shape_share":2}`, "alarms.max_unseen_shape_share"},
		{"reference too long", `"alarms":{"reference_weeks":60}`, "alarms.reference_weeks"},
		{"unknown alarm", `"alarms":{"min_precison":0.9}`, ""},
		{"brake floor 0", `"brake":{"tax_inconsistency":{"min_precision":0,"last":50}}`, "brake.tax_inconsistency.min_precision"},
		{"brake window 0", `"brake":{"tax_inconsistency":{"min_precision":0.9,"last":0}}`, "brake.tax_inconsistency.last"},
		{"brake window huge", `"brake":{"usage_mismatch":{"min_precision":0.9,"last":20000}}`, "brake.usage_mismatch.last"},
		{"brake unknown type", `"brake":{"refunds":{"min_precision":0.9,"last":20}}`, "brake"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := triage.ParsePolicy(strings.NewReader(alarmPolicy(tc.body)))
			var e *triage.Error
			if err == nil || triage.ErrorCode(err) != triage.EINVALID {
				t.Fatalf("err %v, want invalid", err)
			}
			if tc.field != "" {
				if !errors.As(err, &e) || e.Field != tc.field {
					t.Errorf("err %v names field %q, want %q", err, e.Field, tc.field)
				}
			}
		})
	}
	p, err := triage.ParsePolicy(strings.NewReader(alarmPolicy(
		`"alarms":{"min_precision":0.9,"min_verdicts":5},"brake":{"tax_inconsistency":{"min_precision":0.98,"last":200}}`)))
	if err != nil {
		t.Fatal(err)
	}
	th := p.AlarmThresholds()
	if th.MinPrecision != 0.9 || th.MinVerdicts != 5 || th.MaxConfidencePSI != triage.DefaultAlarms.MaxConfidencePSI {
		t.Errorf("thresholds %+v: want the policy's two and the defaults", th)
	}
	if p.Brake[triage.TaxInconsistency].Last != 200 {
		t.Errorf("brake %+v", p.Brake)
	}
	if triage.DefaultPolicy().AlarmThresholds() != triage.DefaultAlarms {
		t.Errorf("the default policy's thresholds are not DefaultAlarms")
	}
}

// TestPolicyWithoutAlarmGroupsKeepsItsVersion checks the groups are
// optional: a policy that leaves them out hashes as before they existed.
func TestPolicyWithoutAlarmGroupsKeepsItsVersion(t *testing.T) {
	p, err := triage.ParsePolicy(strings.NewReader(alarmPolicy("")))
	if err != nil {
		t.Fatal(err)
	}
	if b := string(p.MarshalIndented()); strings.Contains(b, "alarms") || strings.Contains(b, "brake") {
		t.Errorf("a policy without the groups writes them:\n%s", b)
	}
}

func alarmPolicy(extra string) string {
	body := `{"default_threshold":0.8,"default_queues":{"usage_mismatch":"revops","pricing_discrepancy":"revops",
		"erp_posting_failure":"finance","tax_inconsistency":"tax","billing_dispute":"support","other":"finance"}`
	if extra != "" {
		body += "," + extra
	}
	return body + "}"
}

func TestPSI(t *testing.T) {
	same := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	if v := triage.PSI(same, same); v != 0 {
		t.Errorf("PSI of a distribution with itself = %v", v)
	}
	high := []int{0, 0, 0, 0, 0, 0, 0, 0, 10, 90}
	low := []int{0, 0, 0, 0, 0, 10, 40, 40, 10, 0}
	if v := triage.PSI(low, high); v < 1 {
		t.Errorf("PSI of a large shift = %v, want above 1", v)
	}
	small := []int{0, 0, 0, 0, 0, 0, 0, 0, 15, 85}
	if v := triage.PSI(small, high); v <= 0 || v > 0.1 {
		t.Errorf("PSI of a small shift = %v, want in (0, 0.1]", v)
	}
	if v := triage.PSI(nil, high); v != 0 {
		t.Errorf("PSI against nothing = %v", v)
	}
}

func TestCalibrationError(t *testing.T) {
	var good, bad []triage.RiskOutcome
	for i := range 100 {
		good = append(good, triage.RiskOutcome{Predicted: 0.3, Late: i < 30})
		bad = append(bad, triage.RiskOutcome{Predicted: 0.1, Late: i < 60})
	}
	if v := triage.CalibrationError(good); math.Abs(v) > 1e-9 {
		t.Errorf("ECE of a calibrated bin = %v", v)
	}
	if v := triage.CalibrationError(bad); math.Abs(v-0.5) > 1e-9 {
		t.Errorf("ECE predicting 0.1 for 60%% late = %v, want 0.5", v)
	}
}

func TestIDShape(t *testing.T) {
	for in, want := range map[string]string{
		"INV-2025-00042": "A3-94-95", "acct_9f3a": "A4_X4", "17": "92", "Kunde/ÄB-7": "A5/ÄA1-91", "": "",
	} {
		if got := triage.IDShape(in); got != want {
			t.Errorf("IDShape(%q) = %q, want %q", in, got, want)
		}
	}
	share, n := triage.UnseenShareOfShapes([]string{"INV-2026-00001", "X9/77"}, []string{"INV-2025-12345"})
	if share != 0.5 || n != 2 {
		t.Errorf("unseen share %v of %d, want 0.5 of 2", share, n)
	}
}

func TestWeeks(t *testing.T) {
	sun := time.Date(2026, 12, 6, 23, 0, 0, 0, time.UTC)
	if got := triage.WeekStart(sun); !got.Equal(time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("WeekStart(%v) = %v", sun, got)
	}
	if got := triage.WeekLabel(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)); got != "2026-W53" {
		t.Errorf("WeekLabel of 2027-01-01 = %s", got)
	}
}

// TestEvaluateAlarmsNeedsEnoughSamples checks a measure resting on too few
// items is unknown and breaches nothing, and one resting on enough does.
func TestEvaluateAlarmsNeedsEnoughSamples(t *testing.T) {
	th := triage.DefaultAlarms
	kinds := func(ms []triage.Measure) map[triage.AlertKind]triage.Measure {
		out := map[triage.AlertKind]triage.Measure{}
		for _, m := range ms {
			out[m.Kind] = m
		}
		return out
	}
	few := kinds(triage.EvaluateAlarms(triage.AlarmFacts{Type: triage.Other, Verdicts: 5, Correct: 1}, th, "2026-W49"))
	if m := few[triage.KindPrecision]; m.Known || m.Breach {
		t.Errorf("precision on 5 verdicts: %+v", m)
	}
	f := triage.AlarmFacts{Type: triage.Other, Verdicts: 40, Correct: 30, Decisions: 100, Automated: 90,
		RefDecisions: 100, RefAutomated: 50, NewSources: []string{"crm"}}
	f.Confidence[9], f.RefConfidence[9], f.RefConfidence[5] = 100, 50, 50
	got := kinds(triage.EvaluateAlarms(f, th, "2026-W49"))
	for _, k := range []triage.AlertKind{triage.KindPrecision, triage.KindAutomatedShare, triage.KindConfidencePSI, triage.KindNewSources} {
		if m := got[k]; !m.Known || !m.Breach {
			t.Errorf("%s: %+v, want a known breach", k, m)
		}
	}
	if m := got[triage.KindNewRootCauses]; m.Breach {
		t.Errorf("no new root causes, but %+v", m)
	}
}

func TestPauseReason(t *testing.T) {
	for _, tc := range []struct {
		prec, floor float64
		last        int
		want        string
	}{
		{0.93, 0.98, 200, "automation paused: precision 0.93 < 0.98 over the last 200"},
		{0.979, 0.98, 50, "automation paused: precision 0.979 < 0.980 over the last 50"},
	} {
		if got := triage.PauseReason(tc.prec, tc.floor, tc.last); got != tc.want {
			t.Errorf("PauseReason(%v, %v, %d) = %q, want %q", tc.prec, tc.floor, tc.last, got, tc.want)
		}
	}
}

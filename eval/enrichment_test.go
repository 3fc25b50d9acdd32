package eval

import (
	"testing"

	"github.com/billtriage/billtriage/triage"
)

func TestEnrichmentMetricsOnKnownCases(t *testing.T) {
	label := func(to string, reversed bool) map[string]any {
		c := map[string]any{"field": "account_id", "key": "k", "to": to}
		if reversed {
			c["reversed_at"] = "2025-01-01T00:00:00Z"
		}
		return map[string]any{"corrections": []any{c}}
	}
	applied := func(to string) *triage.Decision {
		return &triage.Decision{Enrichments: []triage.Enrichment{{Identifier: triage.Identifier{Field: "account_id", Key: "k"},
			Applied: &triage.AppliedCorrection{Field: "account_id", After: to}}}}
	}
	cases := []Case{
		{Corrections: caseCorrections(label("C-1", false), applied("C-1"))},     // right
		{Corrections: caseCorrections(label("C-2", false), applied("C-3"))},     // wrong
		{Corrections: caseCorrections(label("C-4", false), &triage.Decision{})}, // queued
		{Corrections: caseCorrections(label("C-5", true), applied("C-7"))},      // label reversed: left out
		{Corrections: caseCorrections(nil, applied("C-6"))},                     // applied without a label: wrong
	}
	m := enrichmentMetrics(cases)["account_id"]
	if m.Labelled != 3 || m.Applied != 3 || m.Correct != 1 {
		t.Fatalf("counts %+v", m)
	}
	if m.Coverage != round6(2.0/3) || m.Precision == nil || *m.Precision != round6(1.0/3) {
		t.Errorf("coverage %v precision %v", m.Coverage, *m.Precision)
	}
	if enrichmentMetrics([]Case{{}}) != nil {
		t.Errorf("no corrections anywhere should give no enrichment section")
	}
}

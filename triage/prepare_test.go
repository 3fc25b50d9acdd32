package triage_test

import (
	"strings"
	"testing"

	"github.com/billtriage/billtriage/triage"
)

func TestPrepareText(t *testing.T) {
	long := strings.Repeat("x", 200)
	tests := []struct {
		name  string
		attrs map[string]any
		want  string
	}{
		{"no attributes", nil, "text"},
		{"sorted key value lines", map[string]any{"erp": "sap", "error_code": "GL-404", "count": 3.0}, "text\ncount 3\nerp sap\nerror code GL-404"},
		{"corrected fields left out", map[string]any{"account_id": "C-1", "account_key": "acct_2"}, "text\naccount key acct_2"},
		{"people's context left out", map[string]any{"email_original": "From: a", "assist_summary": "s", "k": "v"}, "text\nk v"},
		{"long values left out", map[string]any{"blob": long, "k": "v"}, "text\nk v"},
		{"objects left out", map[string]any{"nested": map[string]any{"a": 1}}, "text"},
	}
	for _, tc := range tests {
		if got := triage.PrepareText("text", tc.attrs); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

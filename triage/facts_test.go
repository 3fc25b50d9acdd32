package triage_test

import (
	"encoding/json"
	"testing"

	"github.com/billtriage/billtriage/triage"
)

func TestSameValue(t *testing.T) {
	tests := []struct {
		name             string
		label, suggested any
		want             bool
	}{
		{"same string", "4020-Services-US01", "4020-Services-US01", true},
		{"string trimmed", " US01 ", "US01", true},
		{"string case-sensitive", "us01", "US01", false},
		{"different string", "30m", "1h", false},
		{"numbers within absolute 0.01", 289.57, 289.58, true},
		{"numbers beyond both tolerances", 1.50, 1.53, false},
		{"numbers within relative 0.005", 10000.0, 10049.0, true},
		{"numbers beyond relative 0.005", 10000.0, 10051.0, false},
		{"int and float", 15, 15.0, true},
		{"json.Number", json.Number("7.25"), 7.25, true},
		{"numeric string meets a number", "12.50", 12.5, true},
		{"number meets a non-numeric string", 12.5, "twelve", false},
		{"two numeric strings stay strings", "0042", "42", false},
		{"bools", true, true, true},
		{"bool and string", true, "true", false},
		{"lists in order", []any{"a", 1.0}, []any{"a", 1.0}, true},
		{"lists out of order", []any{"a", "b"}, []any{"b", "a"}, false},
		{"objects key by key", map[string]any{"a": 1.0, "b": "x"}, map[string]any{"b": "x ", "a": 1.001}, true},
		{"object with an extra key", map[string]any{"a": 1.0}, map[string]any{"a": 1.0, "b": 2.0}, false},
		{"nothing suggested", "US01", nil, false},
		{"nil and nil", nil, nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := triage.SameValue(tc.label, tc.suggested); got != tc.want {
				t.Errorf("triage.SameValue(%#v, %#v) = %v, want %v", tc.label, tc.suggested, got, tc.want)
			}
		})
	}
}

package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/billtriage/billtriage/triage"
)

// PUT /v1/policy takes one JSON object of at most 1 MiB.
func TestPolicyTrailingDataAndSize(t *testing.T) {
	f := setup(t)
	def := string(triage.DefaultPolicy().MarshalIndented())
	tests := []struct {
		name, body string
		status     int
	}{
		{"trailing object", def + `{}`, http.StatusBadRequest},
		{"trailing text", def + " x", http.StatusBadRequest},
		{"trailing white space", def + " \n\t", http.StatusOK},
		{"over 1 MiB", strings.Replace(def, `"human_only_actions": [`, `"human_only_actions": ["`+strings.Repeat("a", 1<<20)+`",`, 1), http.StatusRequestEntityTooLarge},
		{"over 1 MiB after the object", def + strings.Repeat(" ", 1<<20), http.StatusRequestEntityTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := f.do(t, "PUT", "/v1/policy", tc.body)
			if status != tc.status {
				t.Fatalf("status %d, want %d: %v", status, tc.status, body)
			}
			if status == http.StatusRequestEntityTooLarge && body["code"] != "too_large" {
				t.Errorf("code %v, want too_large", body["code"])
			}
		})
	}
}

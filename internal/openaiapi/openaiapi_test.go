package openaiapi_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/billtriage/billtriage/internal/openaiapi"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name    string
		e       openaiapi.Endpoint
		wantErr string
	}{
		{"openai default", openaiapi.Endpoint{}, ""},
		{"local server", openaiapi.Endpoint{BaseURL: "http://127.0.0.1:11434/v1"}, ""},
		{"azure", openaiapi.Endpoint{BaseURL: "https://x.openai.azure.com", AzureAPIVersion: "2024-10-21"}, ""},
		{"azure without endpoint", openaiapi.Endpoint{AzureAPIVersion: "2024-10-21"}, "azure"},
		{"relative", openaiapi.Endpoint{BaseURL: "localhost:8080/v1"}, "base URL"},
		{"other scheme", openaiapi.Endpoint{BaseURL: "ftp://example.com/v1"}, "base URL"},
	}
	for _, tt := range tests {
		err := tt.e.Check()
		if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("%s: Check() = %v, want error containing %q", tt.name, err, tt.wantErr)
		}
	}
}

func TestRedactHidesTheKeyAndKeepsTheCause(t *testing.T) {
	e := openaiapi.Endpoint{APIKey: "sk-secret"}
	err := e.Redact(fmt.Errorf("401: bad key sk-secret: %w", context.DeadlineExceeded))
	if strings.Contains(err.Error(), "sk-secret") || !strings.Contains(err.Error(), "[redacted]") {
		t.Errorf("Redact kept the key: %q", err)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Redact lost the cause: %v", err)
	}
}

func TestRedactCutsLongErrors(t *testing.T) {
	err := openaiapi.Endpoint{}.Redact(errors.New(strings.Repeat("é", 1000)))
	if n := len(err.Error()); n > 512+len("…") {
		t.Errorf("error text is %d bytes, want at most 512 and an ellipsis", n)
	}
	if !strings.HasSuffix(err.Error(), "…") || !strings.HasPrefix(err.Error(), "é") {
		t.Errorf("error text %.20q… is not the cut original", err)
	}
}

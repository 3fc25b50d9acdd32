package dataset_test

import (
	"testing"

	"github.com/billtriage/billtriage/dataset"
)

func TestLineErrorError(t *testing.T) {
	tests := []struct {
		err  dataset.LineError
		want string
	}{
		{dataset.LineError{Line: 12, Field: "occurred_at", Msg: "not an RFC 3339 time"}, `line 12: field "occurred_at": not an RFC 3339 time`},
		{dataset.LineError{Line: 3, Msg: "not a JSON object"}, "line 3: not a JSON object"},
		{dataset.LineError{Field: "type", Msg: "bad"}, `field "type": bad`},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

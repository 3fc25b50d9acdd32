package numfmt_test

import (
	"testing"

	"github.com/billtriage/billtriage/internal/numfmt"
)

func TestGroup(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"7", "7"},
		{"999", "999"},
		{"1000", "1,000"},
		{"12400", "12,400"},
		{"1234567", "1,234,567"},
	}
	for _, tt := range tests {
		if got := numfmt.Group(tt.in); got != tt.want {
			t.Errorf("Group(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

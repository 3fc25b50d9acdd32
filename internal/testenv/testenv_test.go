package testenv_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/billtriage/billtriage/internal/testenv"
)

// TestMissing runs a test that calls Missing in a child process, with and
// without CI, and checks that it fails under CI and skips otherwise.
func TestMissing(t *testing.T) {
	if os.Getenv("TESTENV_CHILD") == "1" {
		testenv.Missing(t, "the %s", "dependency")
		return
	}
	tests := []struct {
		ci       string
		wantFail bool
		want     string
	}{
		{"true", true, "--- FAIL"},
		{"", false, "--- SKIP"},
	}
	for _, tt := range tests {
		cmd := exec.Command(os.Args[0], "-test.run=^TestMissing$", "-test.v")
		cmd.Env = append(os.Environ(), "TESTENV_CHILD=1", "CI="+tt.ci)
		out, err := cmd.CombinedOutput()
		if (err != nil) != tt.wantFail || !strings.Contains(string(out), tt.want) || !strings.Contains(string(out), "the dependency") {
			t.Errorf("CI=%q: err %v, output:\n%s", tt.ci, err, out)
		}
	}
}

package api_test

import (
	"os/exec"
	"testing"

	"github.com/billtriage/billtriage/internal/testenv"
)

// chromium returns the browser binary; without one the test fails under
// CI and is skipped elsewhere.
func chromium(t *testing.T) string {
	t.Helper()
	const bin = "/usr/bin/chromium"
	_, err := exec.LookPath(bin)
	if err == nil {
		return bin
	}
	testenv.Missing(t, "the headless UI run needs %s: %v", bin, err)
	return ""
}

package api_test

import (
	"os"
	"os/exec"
	"testing"
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
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is required under CI: %v", bin, err)
	}
	t.Skipf("headless UI run needs %s: %v", bin, err)
	return ""
}

// Package testenv holds the one rule for a test whose real dependency
// (PostgreSQL, Chromium, a shared data set) is missing: it skips on a
// developer's machine and fails under CI, so CI can never pass without
// running it.
package testenv

import (
	"os"
	"testing"
)

// Missing ends the test because what it needs is not there: a failure
// when CI is set, a skip otherwise. The message says what is missing.
func Missing(tb testing.TB, format string, args ...any) {
	tb.Helper()
	if os.Getenv("CI") != "" {
		tb.Fatalf("required under CI: "+format, args...)
	}
	tb.Skipf(format+" (under CI this fails)", args...)
}

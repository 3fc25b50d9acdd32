package email_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/billtriage/billtriage/disputes/email"
)

// testNow is the clock of every test: year-less dates in messages without
// a date of their own resolve to 2025.
var testNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// parse parses s with testNow, failing the test on error.
func parse(t testing.TB, s string) *email.Email {
	t.Helper()
	e, err := email.ParseAt([]byte(s), testNow)
	if err != nil {
		t.Fatalf("ParseAt() error = %v", err)
	}
	return e
}

// readTestdata returns the content of a file under testdata.
func readTestdata(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// day returns midnight UTC of a calendar day.
func day(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

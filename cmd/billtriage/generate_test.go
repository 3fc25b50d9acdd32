package main_test

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/dataset"
)

// TestGenerateDefaultBytes pins what `make eval` generates: --end and
// --open must not move the default output, which the benchmarks depend on.
func TestGenerateDefaultBytes(t *testing.T) {
	dir := t.TempDir()
	code, _, stderr := runMain(t, nil, "", "generate", "--seed", "42", "--exceptions", "5000", "--invoices", "3000", "--out", dir)
	if code != 0 {
		t.Fatalf("generate: exit %d: %s", code, stderr)
	}
	// Off a terminal, as here, there is no progress bar.
	if stderr != "" {
		t.Errorf("stderr %q, want nothing off a terminal", stderr)
	}
	for file, want := range map[string]string{
		"exceptions.jsonl": "6c3fd4fe2be5ea2462ab4e64627136bc8ce56ddd2ab84ce5f21210118e93a678",
		"invoices.csv":     "61014a06a0ffe408cb56f244423fac8b520499adebbdf405eaedaa2a35ed4c47",
		"truth.csv":        "9edb2a2fc5fd6df31fcb50a2a5290b874856075da7448f833e9d10b2af55e3c4",
	} {
		b, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != want {
			t.Errorf("%s: sha256 %x, want %s", file, sum, want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "open.jsonl")); !os.IsNotExist(err) {
		t.Errorf("open.jsonl written without --open (stat: %v)", err)
	}
}

func TestGenerateEndAndOpen(t *testing.T) {
	tests := []struct {
		name     string
		end      string
		open     int
		latest   time.Time // every record occurred before it
		earliest time.Time // and the newest after it
	}{
		{"a date includes its day", "2026-12-06", 40,
			time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)},
		{"an instant", "2026-12-06T10:00:00+02:00", 0,
			time.Date(2026, 12, 6, 8, 0, 0, 0, time.UTC), time.Date(2026, 12, 5, 8, 0, 0, 0, time.UTC)},
		{"now", "now", 25, time.Now().Add(time.Hour), time.Now().AddDate(0, 0, -10)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			args := []string{"generate", "--seed", "3", "--exceptions", "800", "--invoices", "200", "--end", tt.end, "--out", dir}
			if tt.open > 0 {
				args = append(args, "--open", strconv.Itoa(tt.open))
			}
			if code, _, stderr := runMain(t, nil, "", args...); code != 0 {
				t.Fatalf("generate: exit %d: %s", code, stderr)
			}
			labelled := readRecords(t, filepath.Join(dir, "exceptions.jsonl"))
			var open []dataset.Record
			if tt.open > 0 {
				open = readRecords(t, filepath.Join(dir, "open.jsonl"))
			}
			if len(labelled)+len(open) != 800 || len(open) < tt.open {
				t.Errorf("%d labelled and %d open records, want 800 in all and at least %d open", len(labelled), len(open), tt.open)
			}
			var newest time.Time
			for _, r := range append(labelled, open...) {
				if !r.OccurredAt.Before(tt.latest) {
					t.Errorf("%s occurred at %s, not before %s", r.ID, r.OccurredAt, tt.latest)
				}
				if r.OccurredAt.After(newest) {
					newest = r.OccurredAt
				}
			}
			if newest.Before(tt.earliest) {
				t.Errorf("newest record at %s, want after %s", newest, tt.earliest)
			}
			for _, r := range labelled {
				if r.Resolution == nil {
					t.Errorf("%s in exceptions.jsonl has no label", r.ID)
				}
			}
			for _, r := range open {
				if r.Resolution != nil {
					t.Errorf("%s in open.jsonl has a label", r.ID)
				}
			}
		})
	}
}

func TestGenerateRejectsBadEnd(t *testing.T) {
	for _, end := range []string{"yesterday", "2026-13-01", "06/12/2026", ""} {
		t.Run(end, func(t *testing.T) {
			code, _, stderr := runMain(t, nil, "", "generate", "--end", end, "--out", t.TempDir())
			if code != 2 || !strings.Contains(stderr, "--end") && !strings.Contains(stderr, "-end") {
				t.Errorf("--end %q: exit %d, stderr %q; want exit 2 naming the flag", end, code, stderr)
			}
		})
	}
}

func readRecords(t *testing.T, path string) []dataset.Record {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var recs []dataset.Record
	lineErrs, err := dataset.ReadRecords(f, func(r dataset.Record) error { recs = append(recs, r); return nil })
	if err != nil || len(lineErrs) > 0 {
		t.Fatalf("%s: %v %v", path, err, lineErrs)
	}
	return recs
}

// TestGenerateMislabel checks --mislabel-after relabels only the drift type's
// records from its date on, and that bad drift flags are refused naming
// the flag.
func TestGenerateMislabel(t *testing.T) {
	plain, drifted := t.TempDir(), t.TempDir()
	args := []string{"generate", "--seed", "5", "--exceptions", "800", "--invoices", "300"}
	if code, _, stderr := runMain(t, nil, "", append(args, "--out", plain)...); code != 0 {
		t.Fatalf("generate: exit %d: %s", code, stderr)
	}
	code, _, stderr := runMain(t, nil, "", append(args, "--mislabel-after", "2025-07-01", "--mislabel-type", "billing_dispute",
		"--mislabel-rate", "1", "--out", drifted)...)
	if code != 0 {
		t.Fatalf("generate with a drift: exit %d: %s", code, stderr)
	}
	before, after := readRecords(t, filepath.Join(plain, "exceptions.jsonl")), readRecords(t, filepath.Join(drifted, "exceptions.jsonl"))
	at := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	changed := 0
	for i, r := range after {
		moved := r.Resolution.RootCause != before[i].Resolution.RootCause
		if moved && (r.Type != "billing_dispute" || r.OccurredAt.Before(at)) {
			t.Errorf("%s (%s, %s) relabelled outside the drift", r.ID, r.Type, r.OccurredAt)
		}
		if moved {
			changed++
		}
	}
	if changed == 0 {
		t.Error("no billing dispute after 2025-07-01 was relabelled at rate 1")
	}
	for _, bad := range []struct {
		args []string
		flag string
	}{
		{[]string{"--mislabel-rate", "0.3"}, "--mislabel-after"},
		{[]string{"--mislabel-after", "2025-07-01"}, "--mislabel-rate"},
		{[]string{"--mislabel-after", "2025-07-01", "--mislabel-rate", "2"}, "--mislabel-rate"},
		{[]string{"--mislabel-after", "2025-07-01", "--mislabel-rate", "0.5", "--mislabel-type", "refund"}, "--mislabel-type"},
	} {
		code, _, stderr := runMain(t, nil, "", append([]string{"generate", "--exceptions", "10", "--invoices", "10", "--out", t.TempDir()}, bad.args...)...)
		if code == 0 || !strings.Contains(stderr, bad.flag) {
			t.Errorf("%v: exit %d, stderr %q; want a failure naming %s", bad.args, code, stderr, bad.flag)
		}
	}
}

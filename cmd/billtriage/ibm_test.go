package main_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/billtriage/billtriage/internal/testenv"
)

// The IBM accounts-receivable data through the two commands the README
// gives: convert, then train with "any days late" and a temporal 80/20
// split. The hold-out AUC must stay at or above 0.90.
func TestTrainOnIBMAccountsReceivable(t *testing.T) {
	src := filepath.Join("..", "..", "..", "shared", "data", "ibm-accounts-receivable")
	if _, err := os.Stat(src); err != nil {
		testenv.Missing(t, "the IBM data set: %v", err)
	}
	bin := buildBinary(t)
	env := serviceEnv(t)
	csv := filepath.Join(t.TempDir(), "invoices.csv")
	run(t, bin, env, "convert", "ibm-ar", src, "--out", csv)
	out := run(t, bin, env, "train", "--invoices", csv, "--late-after-days", "0", "--split", "0.8")
	var m struct {
		AUC, Brier, ECE    float64
		Algorithm, Version string
	}
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("train printed %q: %v", out, err)
	}
	t.Logf("IBM hold-out: AUC %.3f, Brier %.3f, ECE %.3f, %s %s", m.AUC, m.Brier, m.ECE, m.Algorithm, m.Version)
	if m.AUC < 0.90 {
		t.Errorf("hold-out AUC %.3f < 0.90", m.AUC)
	}
	if m.Algorithm == "" || m.Version == "" {
		t.Errorf("algorithm %q, version %q", m.Algorithm, m.Version)
	}
}

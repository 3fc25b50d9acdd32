package risk_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"

	"github.com/billtriage/billtriage/dataset/generate"
	"github.com/billtriage/billtriage/models/risk"
)

// peakEnv set to 1 turns this test binary into the helper process of
// BenchmarkTrain100k: instead of running tests it trains once on
// world100k and prints the peak resident memory of the training.
const peakEnv = "BILLTRIAGE_MODELS_TRAIN_PEAK"

// TestMain runs the tests, or the helper when peakEnv asks for it.
func TestMain(m *testing.M) {
	if os.Getenv(peakEnv) == "1" {
		before, peak, err := measureTrainPeak()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Printf("rss-before-MiB %.1f\npeak-MiB %.1f\n", before, peak)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// measureTrainPeak generates world100k, lets the garbage collector give
// back what generation no longer needs, resets the kernel's high-water
// mark and trains: the peak then covers training alone, with its input
// resident, which is how `billtriage train` runs. It returns the resident
// memory before training and the peak, in MiB.
func measureTrainPeak() (before, peak float64, err error) {
	_, dinvs, err := generate.Generate(world100k)
	if err != nil {
		return 0, 0, err
	}
	// The records and the dataset form of the invoices are dead after
	// this, so the collection below frees them.
	invs := dinvs
	runtime.GC()
	debug.FreeOSMemory()
	// Writing 5 to clear_refs resets VmHWM to the current resident size
	// (Linux 4.0 and later).
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		return 0, 0, fmt.Errorf("reset the peak resident size: %w", err)
	}
	if before, err = procStatusMiB("VmRSS"); err != nil {
		return 0, 0, err
	}
	if _, _, err := risk.TrainInvoices(invs, nil, latestIssue(invs), demoConfig()); err != nil {
		return 0, 0, err
	}
	peak, err = procStatusMiB("VmHWM")
	return before, peak, err
}

// procStatusMiB reads one "kB" field of /proc/self/status, in MiB.
func procStatusMiB(field string) (float64, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok || name != field {
			continue
		}
		kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
		if err != nil {
			return 0, fmt.Errorf("/proc/self/status %s: %w", field, err)
		}
		return kb / 1024, nil
	}
	return 0, fmt.Errorf("/proc/self/status has no %s", field)
}

// trainPeakMiB runs this test binary as the helper and reads its figures.
func trainPeakMiB() (before, peak float64, err error) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), peakEnv+"=1")
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return 0, 0, fmt.Errorf("peak helper: %w: %s", err, ee.Stderr)
		}
		return 0, 0, fmt.Errorf("peak helper: %w", err)
	}
	if _, err := fmt.Sscanf(string(out), "rss-before-MiB %g\npeak-MiB %g\n", &before, &peak); err != nil {
		return 0, 0, fmt.Errorf("peak helper printed %q: %w", out, err)
	}
	return before, peak, nil
}

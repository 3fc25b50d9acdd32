package generate_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/dataset/generate"
)

// TestMislabelRelabelsOnlyAfterItsDateAndType checks that a drift changes the
// labels of its type from its date on, about at its rate, and nothing else:
// the same records, texts and times, and every other label as without it.
func TestMislabelRelabelsOnlyAfterItsDateAndType(t *testing.T) {
	base := generate.Config{Seed: 7, Exceptions: 3000, Invoices: 800}
	plain, _, err := generate.Generate(base)
	if err != nil {
		t.Fatal(err)
	}
	after := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	drifted := base
	drifted.Mislabel = generate.Mislabel{After: after, Type: "tax_inconsistency", MislabelRate: 0.5}
	got, truth, _, err := generateWithTruth(drifted)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(plain) {
		t.Fatalf("%d records with the drift, %d without", len(got), len(plain))
	}
	changed, eligible := 0, 0
	for i, r := range got {
		p := plain[i]
		if r.ID != p.ID || r.Text != p.Text || !r.OccurredAt.Equal(p.OccurredAt) {
			t.Fatalf("record %d changed beyond its label: %+v vs %+v", i, r, p)
		}
		same := reflect.DeepEqual(r.Resolution, p.Resolution)
		inScope := r.Type == "tax_inconsistency" && !r.OccurredAt.Before(after) && p.Resolution != nil
		if !inScope && !same {
			t.Errorf("%s (%s, %s) relabelled outside the drift", r.ID, r.Type, r.OccurredAt.Format(time.DateOnly))
		}
		if inScope {
			eligible++
			if !same {
				changed++
				if r.Resolution.RootCause == p.Resolution.RootCause || !truth[r.ID] {
					t.Errorf("%s: relabelled to %s (was %s), noisy in truth %v", r.ID, r.Resolution.RootCause, p.Resolution.RootCause, truth[r.ID])
				}
			}
		}
	}
	share := float64(changed) / float64(eligible)
	t.Logf("%d of %d tax records after %s relabelled (%.2f)", changed, eligible, after.Format(time.DateOnly), share)
	if eligible < 50 || share < 0.35 || share > 0.6 {
		t.Errorf("relabelled %d of %d, want about half", changed, eligible)
	}
}

// TestMislabelNeedsAValidRate checks the drift's settings are refused when
// they make no sense, naming what is wrong.
func TestMislabelNeedsAValidRate(t *testing.T) {
	at := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		d    generate.Mislabel
		want string
	}{
		{generate.Mislabel{After: at}, "mislabel rate"},
		{generate.Mislabel{After: at, MislabelRate: 1.5}, "mislabel rate"},
		{generate.Mislabel{After: at, MislabelRate: 0.2, Type: "refund"}, "drift type"},
		{generate.Mislabel{MislabelRate: 0.2}, "--mislabel-after"},
	} {
		_, _, err := generate.Generate(generate.Config{Seed: 1, Exceptions: 10, Invoices: 10, Mislabel: tc.d})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: err %v, want one naming %q", tc.d, err, tc.want)
		}
	}
}

// generateWithTruth returns the records and which are noisy by id.
func generateWithTruth(cfg generate.Config) ([]dataset.Record, map[string]bool, int, error) {
	recs, _, truth, err := generate.GenerateWithTruth(cfg)
	noisy := map[string]bool{}
	for _, tr := range truth {
		noisy[tr.ID] = tr.Noisy
	}
	return recs, noisy, len(recs), err
}

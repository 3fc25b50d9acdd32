package generate

// Internal test: label noise, vagueness and customer reliability are
// deliberately absent from the output, so only the world can show them.

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func sampleWorld(t *testing.T) *world {
	t.Helper()
	w, err := build(Config{Seed: 42, Exceptions: 3000, Invoices: 1500})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestNoiseAndVagueShares(t *testing.T) {
	w := sampleWorld(t)
	var noisy, vague int
	for _, d := range w.drafts {
		if d.noisy {
			noisy++
			if d.rec.Resolution.RootCause == d.cause.RootCause || d.cause.Type != d.rec.Type {
				t.Errorf("%s: noisy label %q is not a sibling of %q", d.rec.ID, d.rec.Resolution.RootCause, d.cause.RootCause)
			}
		} else if d.rec.Resolution.RootCause != d.cause.RootCause {
			t.Errorf("%s: clean record labelled %q, written for %q", d.rec.ID, d.rec.Resolution.RootCause, d.cause.RootCause)
		}
		if d.vague {
			vague++
		}
	}
	n := float64(len(w.drafts))
	t.Logf("noise %.2f%%, vague %.2f%%", 100*float64(noisy)/n, 100*float64(vague)/n)
	// Binomial bounds, about four standard deviations wide at n = 3000.
	if share := float64(noisy) / n; share < 0.01 || share > 0.031 {
		t.Errorf("noise share %.3f, want about 0.02", share)
	}
	if share := float64(vague) / n; share < 0.035 || share > 0.065 {
		t.Errorf("vague share %.3f, want about 0.05", share)
	}
}

func TestVagueTextsHideTheCause(t *testing.T) {
	w := sampleWorld(t)
	for _, d := range w.drafts {
		if d.vague && strings.Contains(d.rec.Text, d.cause.RootCause) {
			t.Errorf("%s: vague text names its cause: %q", d.rec.ID, d.rec.Text)
		}
	}
}

func TestLatenessFollowsReliability(t *testing.T) {
	w := sampleWorld(t)
	custs := slices.Clone(w.customers)
	slices.SortFunc(custs, func(a, b *customer) int {
		switch {
		case a.reliability < b.reliability:
			return -1
		case a.reliability > b.reliability:
			return 1
		}
		return 0
	})
	third := len(custs) / 3
	low, high := lateShare(w, custs[:third]), lateShare(w, custs[len(custs)-third:])
	t.Logf("late share: %.2f least reliable third, %.2f most reliable third", low, high)
	if low < high+0.1 {
		t.Errorf("unreliable customers late %.2f, reliable %.2f: want a clear gap", low, high)
	}
}

// lateShare is the share of the customers' settled-or-overdue invoices paid
// more than 30 days late or not at all.
func lateShare(w *world, custs []*customer) float64 {
	var late, total float64
	for _, cu := range custs {
		for _, i := range w.custInvoices[cu.idx] {
			inv := w.invoices[i]
			if inv.DueAt.AddDate(0, 0, 31).After(w.end) {
				continue
			}
			total++
			if inv.PaidAt == nil || inv.PaidAt.Sub(inv.DueAt) > 30*24*time.Hour {
				late++
			}
		}
	}
	return late / total
}

// TestParamsAgreeWithAttributes checks the memoisation that keeps a record
// self-consistent: the value a label's params name is the one the record's
// attributes (and text) show.
func TestParamsAgreeWithAttributes(t *testing.T) {
	pairs := map[string][2]string{ // root cause → params key, attributes key
		"usage_late_arrival":     {"meter", "meter"},
		"unmapped_usage_account": {"account_key", "account_key"},
		"missing_gl_mapping":     {"entity", "entity"},
		"customer_not_in_erp":    {"entity", "entity"},
		"missing_tax_id":         {"jurisdiction", "jurisdiction"},
		"wrong_tax_jurisdiction": {"from", "jurisdiction"}, // the record shows the wrong one
		"outdated_tax_rate":      {"jurisdiction", "jurisdiction"},
	}
	w := sampleWorld(t)
	checked := 0
	for _, d := range w.drafts {
		keys, ok := pairs[d.rec.Resolution.RootCause]
		if !ok || d.noisy || d.vague {
			continue
		}
		checked++
		if p, a := d.rec.Resolution.Params[keys[0]], d.rec.Attributes[keys[1]]; p != a {
			t.Errorf("%s: params %s=%v, attributes %s=%v", d.rec.ID, keys[0], p, keys[1], a)
		}
	}
	if checked < 100 {
		t.Errorf("checked only %d records", checked)
	}
}

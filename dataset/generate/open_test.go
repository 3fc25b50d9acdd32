package generate_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/dataset/generate"
)

func TestGenerateEndsAtEnd(t *testing.T) {
	tests := []struct {
		name string
		end  time.Time
		// start is the first invoice day the window may hold.
		start time.Time
	}{
		{"mid-day", time.Date(2026, 12, 6, 14, 30, 0, 0, time.UTC), time.Date(2026, 11, 7, 0, 0, 0, 0, time.UTC)},
		{"midnight", time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 6, 0, 0, 0, 0, time.UTC)},
		{"minutes after midnight", time.Date(2026, 12, 6, 0, 0, 20, 0, time.UTC), time.Date(2026, 11, 7, 0, 0, 0, 0, time.UTC)},
		{"not UTC", time.Date(2026, 12, 6, 9, 0, 0, 0, time.FixedZone("X", 10*3600)), time.Date(2026, 11, 6, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, invs, err := generate.Generate(generate.Config{Seed: 3, Exceptions: 600, Invoices: 300, Days: 30, End: tt.end})
			if err != nil {
				t.Fatal(err)
			}
			for _, inv := range invs {
				if inv.IssuedAt.Before(tt.start) || !inv.IssuedAt.Before(tt.end) {
					t.Fatalf("%s issued %s, outside [%s, %s)", inv.InvoiceID, inv.IssuedAt, tt.start, tt.end)
				}
				if inv.PaidAt != nil && !inv.PaidAt.Before(tt.end) {
					t.Fatalf("%s paid %s, after the end", inv.InvoiceID, inv.PaidAt)
				}
			}
			for _, r := range recs {
				if r.OccurredAt.Before(tt.start) || !r.OccurredAt.Before(tt.end) {
					t.Fatalf("%s occurred %s, outside [%s, %s)", r.ID, r.OccurredAt, tt.start, tt.end)
				}
			}
			// 600 records in 30 days: the newest is hours old, not days.
			if newest := recs[len(recs)-1].OccurredAt; tt.end.Sub(newest) > 12*time.Hour {
				t.Errorf("newest record %s, %s before the end", newest, tt.end.Sub(newest))
			}
		})
	}
}

func TestGenerateEndIsDeterministic(t *testing.T) {
	cfg := generate.Config{Seed: 5, Exceptions: 300, Invoices: 150, End: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC), Open: 40}
	gen := func() (string, string) {
		recs, invs, err := generate.Generate(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return encode(t, recs, invs)
	}
	r1, i1 := gen()
	r2, i2 := gen()
	if r1 != r2 || i1 != i2 {
		t.Error("same Config with End produced different bytes")
	}
}

// TestGenerateOpen checks that Open only takes labels away: every other
// byte is the fully labelled world's.
func TestGenerateOpen(t *testing.T) {
	end := time.Date(2026, 12, 6, 14, 30, 0, 0, time.UTC)
	base := generate.Config{Seed: 42, Exceptions: 2000, Invoices: 1000, End: end}
	full, fullInvs, err := generate.Generate(base)
	if err != nil {
		t.Fatal(err)
	}
	_, wantInvs := encode(t, nil, fullInvs)
	for _, n := range []int{1, 300, 5000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			cfg := base
			cfg.Open = n
			recs, invs, err := generate.Generate(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if _, got := encode(t, nil, invs); got != wantInvs {
				t.Error("Open changed the invoices")
			}
			open := 0
			for i, r := range recs {
				newest := i >= len(recs)-n
				switch {
				case r.Resolution == nil:
					open++
					if !newest && full[i].Resolution.ResolvedAt.Before(end) {
						t.Errorf("%s is open but was resolved at %s, before the end", r.ID, full[i].Resolution.ResolvedAt)
					}
				case newest:
					t.Errorf("%s is among the newest %d but labelled", r.ID, n)
				case !r.Resolution.ResolvedAt.Before(end):
					t.Errorf("%s resolved at %s, after the end", r.ID, r.Resolution.ResolvedAt)
				default:
					assertReversalsBefore(t, r, end)
				}
				unlabelled, was := r, full[i]
				unlabelled.Resolution, was.Resolution = nil, nil
				got, _ := encode(t, []dataset.Record{unlabelled}, nil)
				want, _ := encode(t, []dataset.Record{was}, nil)
				if got != want {
					t.Errorf("%s differs beyond its label", r.ID)
				}
			}
			if want := min(n, len(recs)); open < want || open > want+len(recs)/20 {
				t.Errorf("%d records open, want %d plus the few resolved after the end", open, want)
			}
		})
	}
}

func assertReversalsBefore(t *testing.T, r dataset.Record, end time.Time) {
	t.Helper()
	cs, _ := r.Resolution.Params["corrections"].([]any)
	for _, c := range cs {
		at, ok := c.(map[string]any)["reversed_at"].(string)
		if !ok {
			continue
		}
		if ts, err := time.Parse(time.RFC3339, at); err != nil || !ts.Before(end) {
			t.Errorf("%s: reversed_at %s, want before the end %s", r.ID, at, end)
		}
	}
}

func TestGenerateRejectsBadWindow(t *testing.T) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		cfg  generate.Config
	}{
		{"start and end", generate.Config{Start: at, End: at}},
		{"negative open", generate.Config{Open: -1}},
		{"end before year 1", generate.Config{End: time.Date(0, 6, 1, 0, 0, 0, 0, time.UTC)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := generate.Generate(tt.cfg); err == nil {
				t.Errorf("Generate(%+v) succeeded, want an error", tt.cfg)
			}
		})
	}
}

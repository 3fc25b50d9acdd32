package eval_test

import (
	"testing"
	"time"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/eval"
)

func items(days map[string]int) []eval.Item {
	var out []eval.Item
	n := 0
	for id, d := range days {
		n++
		out = append(out, eval.Item{Line: n, Record: dataset.Record{ID: id, OccurredAt: time.Date(2025, 1, d, 0, 0, 0, 0, time.UTC)}})
	}
	return out
}

func ids(its []eval.Item) string {
	s := ""
	for _, it := range its {
		s += it.Record.ID
	}
	return s
}

func TestSplitItems(t *testing.T) {
	// b and c occur on the same day: ties are ordered by id.
	in := items(map[string]int{"a": 1, "c": 2, "b": 2, "d": 3, "e": 4})
	tests := []struct {
		name          string
		frac          float64
		at            time.Time
		history, test string
		splitAt       time.Time
		fails         bool
	}{
		{"fraction floors", 0.5, time.Time{}, "ab", "cde", time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC), false},
		{"fraction 0.8", 0.8, time.Time{}, "abcd", "e", time.Date(2025, 1, 4, 0, 0, 0, 0, time.UTC), false},
		{"time", 0, time.Date(2025, 1, 3, 0, 0, 0, 0, time.UTC), "abc", "de", time.Date(2025, 1, 3, 0, 0, 0, 0, time.UTC), false},
		{"time before everything", 0, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), "", "", time.Time{}, true},
		{"fraction out of range", 1, time.Time{}, "", "", time.Time{}, true},
		{"empty history", 0.1, time.Time{}, "", "", time.Time{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := eval.SplitItems(in, tc.frac, tc.at)
			if tc.fails {
				if err == nil {
					t.Errorf("want an error, got %s | %s", ids(s.History), ids(s.Test))
				}
				return
			}
			if err != nil || ids(s.History) != tc.history || ids(s.Test) != tc.test || !s.At.Equal(tc.splitAt) {
				t.Errorf("got %s | %s at %v (%v), want %s | %s at %v", ids(s.History), ids(s.Test), s.At, err, tc.history, tc.test, tc.splitAt)
			}
		})
	}
}

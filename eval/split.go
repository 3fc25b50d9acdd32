package eval

import (
	"fmt"
	"sort"
	"time"
)

// Split is the temporal division of a dataset: History happened before At
// and is loaded as the resolved past; Test is replayed after it, in order.
type Split struct {
	History, Test []Item
	At            time.Time
}

// SplitItems orders items by occurrence time (ties by id, so the order
// never depends on the file's) and divides them. With a non-zero at,
// everything that occurred before at is history. Otherwise the first
// floor(frac × n) items are history and At is when the first test item
// occurred. Converters that want an exact split rely on that floor.
func SplitItems(items []Item, frac float64, at time.Time) (Split, error) {
	sorted := append([]Item(nil), items...)
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := sorted[i].Record, sorted[j].Record
		if !a.OccurredAt.Equal(b.OccurredAt) {
			return a.OccurredAt.Before(b.OccurredAt)
		}
		return a.ID < b.ID
	})
	var cut int
	if !at.IsZero() {
		cut = sort.Search(len(sorted), func(i int) bool { return !sorted[i].Record.OccurredAt.Before(at) })
	} else {
		if frac <= 0 || frac >= 1 {
			return Split{}, fmt.Errorf("eval: split fraction must be between 0 and 1, not %v", frac)
		}
		cut = HistorySize(len(sorted), frac)
	}
	s := Split{History: sorted[:cut], Test: sorted[cut:], At: at}
	if len(s.History) == 0 || len(s.Test) == 0 {
		return Split{}, fmt.Errorf("eval: the split leaves %d history and %d test records; both must be non-empty", len(s.History), len(s.Test))
	}
	if at.IsZero() {
		s.At = s.Test[0].Record.OccurredAt
	}
	return s, nil
}

// HistorySize is how many of n records a fractional split puts in the
// history: floor(frac × n).
func HistorySize(n int, frac float64) int {
	return int(frac * float64(n))
}

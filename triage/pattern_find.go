package triage

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"slices"
	"time"
)

// FindPatterns groups items into patterns: within each type and root
// cause, items whose vectors' cosine similarity reaches cfg.Similarity are
// linked, and each connected component of at least cfg.MinSize items is a
// pattern. Items without a root cause or a vector are left out. The
// blocking by root cause keeps each comparison small and makes a pattern
// share one cause by construction; the similarity splits a cause into the
// distinct ways it shows (one connector's log line, one kind of email).
// now ends the window the trend is counted over. The result is sorted by
// size, largest first, and is the same for the same input.
func FindPatterns(items []PatternItem, dims []DimRule, now time.Time, cfg PatternConfig) []Pattern {
	cfg = cfg.withDefaults()
	blocks := map[[2]string][]int{}
	for i, it := range items {
		if it.RootCause == "" || len(it.Vector) == 0 {
			continue
		}
		k := [2]string{string(it.Type), it.RootCause}
		blocks[k] = append(blocks[k], i)
	}
	var out []Pattern
	for _, k := range slices.SortedFunc(mapKeys(blocks), func(a, b [2]string) int {
		return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1]))
	}) {
		for _, comp := range components(items, newestFirst(items, blocks[k], cfg.MaxBlock), cfg.Similarity) {
			if len(comp) >= cfg.MinSize {
				out = append(out, newPattern(items, comp, dims, now, cfg))
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Pattern) int { return cmp.Or(cmp.Compare(b.Size, a.Size), cmp.Compare(a.ID, b.ID)) })
	return out
}

func mapKeys[K comparable, V any](m map[K]V) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// newestFirst keeps the newest max of a block's items: the pairwise
// comparison is quadratic.
func newestFirst(items []PatternItem, idx []int, max int) []int {
	if len(idx) <= max {
		return idx
	}
	idx = slices.Clone(idx)
	slices.SortStableFunc(idx, func(a, b int) int { return items[b].OccurredAt.Compare(items[a].OccurredAt) })
	return idx[:max]
}

// components returns the connected components of the similarity graph on
// idx, each sorted by item order, in order of their first item.
func components(items []PatternItem, idx []int, sim float64) [][]int {
	parent := make([]int, len(idx))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for a := range idx {
		va := items[idx[a]].Vector
		for b := a + 1; b < len(idx); b++ {
			if ra, rb := find(a), find(b); ra != rb && dot(va, items[idx[b]].Vector) >= sim {
				parent[max(ra, rb)] = min(ra, rb)
			}
		}
	}
	groups := map[int][]int{}
	var roots []int
	for i := range idx {
		r := find(i)
		if _, ok := groups[r]; !ok {
			roots = append(roots, r)
		}
		groups[r] = append(groups[r], idx[i])
	}
	out := make([][]int, 0, len(roots))
	for _, r := range roots {
		g := groups[r]
		slices.Sort(g)
		out = append(out, g)
	}
	return out
}

// dot is the cosine similarity of two L2-normalised vectors; vectors of
// different lengths are unrelated.
func dot(a, b []float32) float64 {
	if len(a) != len(b) {
		return 0
	}
	var s float32
	for i := range a {
		s += a[i] * b[i]
	}
	return float64(s)
}

func newPattern(items []PatternItem, comp []int, dims []DimRule, now time.Time, cfg PatternConfig) Pattern {
	first := items[comp[0]]
	p := Pattern{Type: first.Type, RootCause: first.RootCause, Size: len(comp), First: first.OccurredAt, Last: first.OccurredAt}
	actions := map[string]int{}
	earliest := first
	for _, i := range comp {
		it := items[i]
		p.Refs, p.idx = append(p.Refs, it.Ref()), append(p.idx, i)
		if it.Open {
			p.Open++
		}
		if it.OccurredAt.Before(p.First) || (it.OccurredAt.Equal(p.First) && refLess(it.Ref(), earliest.Ref())) {
			p.First, earliest = it.OccurredAt, it
		}
		if it.OccurredAt.After(p.Last) {
			p.Last = it.OccurredAt
		}
		if it.Action != "" {
			actions[it.Action]++
		}
	}
	p.Action = topKey(actions)
	p.ID = patternID(p.Type, p.RootCause, earliest.Ref())
	p.Daily = dailyCounts(items, comp, now, cfg.SpikeDays+cfg.BaselineDays)
	p.Breakdown = breakdown(items, comp, dims)
	return p
}

func refLess(a, b PatternRef) bool {
	return cmp.Or(cmp.Compare(a.ExceptionID, b.ExceptionID), cmp.Compare(a.ResolutionID, b.ResolutionID)) < 0
}

// topKey is the most frequent key, the smallest on a tie.
func topKey(m map[string]int) string {
	best, n := "", 0
	for k, c := range m {
		if c > n || (c == n && k < best) {
			best, n = k, c
		}
	}
	return best
}

// patternID is a short stable name from the pattern's cause and earliest
// member.
func patternID(t Type, rootCause string, ref PatternRef) string {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s|%s|%d|%d", t, rootCause, ref.ExceptionID, ref.ResolutionID)
	return fmt.Sprintf("p%012x", h.Sum64()>>16)
}

// dailyCounts counts the items per 24-hour bin ending at now, oldest bin
// first.
func dailyCounts(items []PatternItem, idx []int, now time.Time, days int) []int {
	out := make([]int, days)
	for _, i := range idx {
		if b := dayBin(items[i].OccurredAt, now, days); b >= 0 {
			out[b]++
		}
	}
	return out
}

// dayBin is the 24-hour bin of t among days bins ending at now, -1 when
// outside.
func dayBin(t, now time.Time, days int) int {
	if !t.Before(now) {
		return -1
	}
	back := int(now.Sub(t) / (24 * time.Hour))
	if back >= days {
		return -1
	}
	return days - 1 - back
}

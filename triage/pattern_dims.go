package triage

import (
	"cmp"
	"slices"
	"strings"
)

// DimRule is one breakdown dimension learned from the data: a place of the
// facts ("region", "attributes.entity"), or the family of a place's values
// (the value without its trailing number: a SKU's product line) when the
// values themselves are too many to break down by.
type DimRule struct {
	Place  string `json:"place"`
	Family bool   `json:"family,omitempty"`
}

// Name is how the dimension is shown: the attribute's name, "family" added.
func (d DimRule) Name() string {
	n := strings.TrimPrefix(d.Place, attrPrefix)
	if d.Family {
		n += " family"
	}
	return n
}

// Value is the item's value of the dimension, "" when it has none.
func (d DimRule) Value(it PatternItem) string {
	v := it.Facts[d.Place]
	if d.Family {
		return family(v)
	}
	return v
}

// MaxDimValues is the most distinct values a dimension may have: beyond,
// a breakdown is a list of ids, not a segment.
const MaxDimValues = 30

// LearnDims finds the dimensions to break patterns down by from the items'
// own facts, whatever they are called: every place that at least a
// twentieth of the items (and five) state, with 2 to MaxDimValues distinct
// values, or whose values' families are that few. Identifiers unique to
// a case (tickets, invoices) fall out by themselves.
func LearnDims(items []PatternItem) []DimRule {
	values := map[string]map[string]int{}
	for _, it := range items {
		for place, v := range it.Facts {
			if values[place] == nil {
				values[place] = map[string]int{}
			}
			values[place][v]++
		}
	}
	minN := max(5, len(items)/20)
	var out []DimRule
	for _, place := range slices.Sorted(mapKeys(values)) {
		vs, n := values[place], 0
		for _, c := range vs {
			n += c
		}
		if n < minN {
			continue
		}
		if len(vs) >= 2 && len(vs) <= MaxDimValues {
			out = append(out, DimRule{Place: place})
			continue
		}
		fam := map[string]bool{}
		for v := range vs {
			fam[family(v)] = true
		}
		if len(fam) >= 2 && len(fam) <= MaxDimValues && len(fam) < len(vs) {
			out = append(out, DimRule{Place: place, Family: true})
		}
	}
	return out
}

// family is a value without its trailing number and the separators
// before it: "SKU-API-412" → "SKU-API". A value without one is its own
// family.
func family(v string) string {
	s := strings.TrimRight(v, "0123456789")
	if s == v || s == "" {
		return v
	}
	return strings.TrimRight(s, "-_./: #")
}

// breakdown counts the members' values of each dimension, most common
// first, at most five values each; dimensions no member states are left
// out. The weekday members occurred on comes last: time's breakdown
// beside the trend.
func breakdown(items []PatternItem, idx []int, dims []DimRule) []Breakdown {
	var out []Breakdown
	for _, d := range dims {
		counts := map[string]int{}
		for _, i := range idx {
			if v := d.Value(items[i]); v != "" {
				counts[v]++
			}
		}
		if len(counts) == 0 {
			continue
		}
		out = append(out, Breakdown{Dim: d.Name(), Values: topCounts(counts, 5)})
	}
	days := map[string]int{}
	for _, i := range idx {
		days[items[i].OccurredAt.UTC().Weekday().String()]++
	}
	return append(out, Breakdown{Dim: WeekdayDim, Values: topCounts(days, 7)})
}

// WeekdayDim is the breakdown by the weekday (UTC) members occurred on.
const WeekdayDim = "weekday (UTC)"

func topCounts(counts map[string]int, n int) []DimCount {
	out := make([]DimCount, 0, len(counts))
	for v, c := range counts {
		out = append(out, DimCount{Value: v, Count: c})
	}
	slices.SortFunc(out, func(a, b DimCount) int { return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Value, b.Value)) })
	return out[:min(n, len(out))]
}

package risk

import (
	"slices"
	"sort"
)

// quantileEdges cuts one column into at most maxBins bins of about equal
// counts. Edges are midpoints between neighbouring distinct values, so a
// value seen in training never sits on an edge, and a column with few
// distinct values gets one bin per value.
func quantileEdges(vals []float64, maxBins int) []float64 {
	s := slices.Clone(vals)
	slices.Sort(s)
	distinct := slices.Compact(slices.Clone(s))
	var edges []float64
	if len(distinct) <= maxBins {
		for k := 1; k < len(distinct); k++ {
			edges = append(edges, (distinct[k-1]+distinct[k])/2)
		}
		return edges
	}
	for k := 1; k < maxBins; k++ {
		q := k * len(s) / maxBins
		if q == 0 || s[q-1] == s[q] {
			continue // inside a run of equal values: no cut here
		}
		edges = append(edges, (s[q-1]+s[q])/2)
	}
	return slices.Compact(edges)
}

// binOf is the number of edges below v: 0 … len(edges).
func binOf(edges []float64, v float64) int {
	return sort.SearchFloat64s(edges, v)
}

// fitBins computes each column's edges on the training rows.
func fitBins(rows [][]float64, idx []int, maxBins int) [][]float64 {
	d := len(rows[idx[0]])
	edges := make([][]float64, d)
	col := make([]float64, len(idx))
	for j := range d {
		for k, i := range idx {
			col[k] = rows[i][j]
		}
		edges[j] = quantileEdges(col, maxBins)
	}
	return edges
}

package eval

import (
	"sort"
)

// Confusion counts (true, predicted) root-cause pairs of one type.
type Confusion struct {
	// Truth lists the true classes, sorted; Predicted lists them followed
	// by any class only ever predicted ("" is no suggestion).
	Truth, Predicted []string
	Counts           map[[2]string]int
}

// Pair is one cell of a confusion matrix.
type Pair struct {
	Truth, Predicted string
	Count            int
}

// NewConfusion counts the pairs.
func NewConfusion(truth, pred []string) Confusion {
	c := Confusion{Truth: Classes(truth), Counts: map[[2]string]int{}}
	for i := range truth {
		c.Counts[[2]string{truth[i], pred[i]}]++
	}
	inTruth := map[string]bool{}
	for _, t := range c.Truth {
		inTruth[t] = true
	}
	c.Predicted = append([]string(nil), c.Truth...)
	for _, p := range Classes(pred) {
		if !inTruth[p] {
			c.Predicted = append(c.Predicted, p)
		}
	}
	return c
}

// Errors lists the off-diagonal cells, most frequent first (ties by the
// pair), so the worst confusions lead.
func (c Confusion) Errors() []Pair {
	var out []Pair
	for k, n := range c.Counts {
		if k[0] != k[1] {
			out = append(out, Pair{k[0], k[1], n})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		if out[i].Truth != out[j].Truth {
			return out[i].Truth < out[j].Truth
		}
		return out[i].Predicted < out[j].Predicted
	})
	return out
}

package risk

import (
	"math"

	"github.com/sjwhitworth/golearn/base"
	"github.com/sjwhitworth/golearn/trees"
)

// gainRule is the trees.RuleGenerator our ID3 trees grow with. golearn's
// InformationGainRuleGenerator sums entropies over Go maps, whose order
// changes from run to run, so two columns with equal gain (common with
// binned or one-hot columns) are picked between at random. This rule counts
// in integers and breaks ties by column order, so a tree depends only on
// its data. It also pre-prunes: a node with fewer than minSplit rows, or
// whose best split gains less than minGain bits or is not significant at
// level alpha, becomes a leaf. Information gain grows with the number of
// branches even on noise, and ID3 splits every bin at once, so without the
// significance test small nodes split on noise columns.
type gainRule struct {
	minSplit int
	minGain  float64
	alpha    float64
}

// GenerateSplitRule returns the categorical column with the largest
// information gain, or nil to make the node a leaf.
func (r *gainRule) GenerateSplitRule(f base.FixedDataGrid) *trees.DecisionTreeRule {
	_, n := f.Size()
	if n < r.minSplit {
		return nil
	}
	cls := f.AllClassAttributes()[0]
	cspec, err := f.GetAttribute(cls)
	if err != nil {
		return nil
	}
	var best base.Attribute
	bestGain := r.minGain
	for _, a := range f.AllAttributes() {
		cat, ok := a.(*base.CategoricalAttribute)
		if !ok || cat.Equals(cls) {
			continue // the pad column and the class are never split on
		}
		if g, df, n := gain(f, cat, cspec); g > bestGain && significant(g, df, n, r.alpha) {
			best, bestGain = a, g
		}
	}
	if best == nil {
		return nil
	}
	return &trees.DecisionTreeRule{SplitAttr: best, SplitVal: 0}
}

// gain is the parent's class entropy minus the children's weighted entropy
// when f is split on every value of a; df is the number of non-empty
// branches less one and n the number of rows.
func gain(f base.FixedDataGrid, a *base.CategoricalAttribute, cspec base.AttributeSpec) (g float64, df, n int) {
	spec, err := f.GetAttribute(a)
	if err != nil {
		return 0, 0, 0
	}
	counts := make([][2]int, len(a.GetValues()))
	var total [2]int
	_ = f.MapOverRows([]base.AttributeSpec{spec, cspec}, func(v [][]byte, _ int) (bool, error) {
		b, c := base.UnpackBytesToU64(v[0]), base.UnpackBytesToU64(v[1])
		counts[b][c]++
		total[c]++
		return true, nil
	})
	n = total[0] + total[1]
	g = entropy(total)
	for _, c := range counts {
		if c[0]+c[1] > 0 {
			g -= float64(c[0]+c[1]) / float64(n) * entropy(c)
			df++
		}
	}
	return g, df - 1, n
}

// significant applies the G-test: with two classes, G = 2·n·ln2·gain is
// χ² with df degrees of freedom when the split is noise. The critical
// value uses the Wilson–Hilferty approximation, good to a few percent.
func significant(gain float64, df, n int, alpha float64) bool {
	if df < 1 {
		return false
	}
	g := 2 * float64(n) * math.Ln2 * gain
	k := float64(df)
	z := normalQuantile(1 - alpha)
	crit := k * math.Pow(1-2/(9*k)+z*math.Sqrt(2/(9*k)), 3)
	return g > crit
}

// normalQuantile inverts the standard normal distribution function.
func normalQuantile(p float64) float64 {
	return math.Sqrt2 * math.Erfinv(2*p-1)
}

// entropy of a two-class count, in bits.
func entropy(c [2]int) float64 {
	n := float64(c[0] + c[1])
	var h float64
	for _, k := range c {
		if k > 0 {
			p := float64(k) / n
			h -= p * math.Log2(p)
		}
	}
	return h
}

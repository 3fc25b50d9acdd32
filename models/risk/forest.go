package risk

import (
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"

	"github.com/billtriage/billtriage/features"
	"github.com/sjwhitworth/golearn/trees"
)

// Why not golearn's ensemble.RandomForest (module version
// v0.0.0-20221228163002-74ae077eafb2). On x1,x2 ~ U(0,1), late = x1+x2 > 1,
// 2,000 rows parsed with base.ParseCSVToInstances, NewRandomForest(20, 2)
// scored 0.49 accuracy and one trees.ID3DecisionTree 0.73:
//
//  1. Its bootstrap decouples values from labels. meta/bagging.go:69-73
//     trains each tree on base.SampleWithReplacement (base/
//     util_instances.go:431-439), an InstancesView with a row map and
//     maskRows false. InstancesView.MapOverRows then walks the source rows
//     and ignores the map (base/view.go:224-225), while Get resolves
//     through it (base/view.go:194-200). ID3's numeric split search reads
//     each value with MapOverRows but its class with base.GetClass, i.e. Get
//     (trees/entropy.go:240-250), so every value is paired with another
//     row's class and splits are chosen on noise. Measured: one ID3 tree on
//     such a view scores 0.48, the same tree on the same rows copied 0.70
//     (TestGolearnRowViewDecouplesValuesFromLabels).
//  2. ID3 trees are one split deep on two float columns. A split removes its
//     column from the children (base/util_instances.go:280-286 and 332-337)
//     and InferID3Tree stops when two columns remain (trees/id3.go:225-236),
//     counting the class as one of them; so each column is used once per
//     path and the last one never, which caps a single ID3 near 0.75 here.
//  3. Bagging, row sampling and random trees draw from the global math/rand
//     (meta/bagging.go:35, base/util_instances.go:435, trees/random.go:30),
//     which Go seeds at random and whose Seed is a no-op since Go 1.24, so
//     no run can be repeated.
//  4. Attribute order is not stable: NonClassAttributes, which golearn's
//     own split search uses, comes out of a map (base/
//     util_attributes.go:144-153), and the sort in ResolveAttributes is a
//     no-op because byPosition.Less compares an element with itself
//     (base/spec.go:24-30). With map-ordered entropy sums (trees/
//     entropy.go:322-341) this makes ties between columns random.
//
// What this file does instead: it bags golearn ID3 trees itself, with a
// seeded source; copies each bootstrap sample into fresh DenseInstances;
// bins every column into quantile bins as a CategoricalAttribute, so one
// split cuts a column into all its bins at once, which makes up for each
// column being usable only once per path; adds the never-split pad column
// against the early stop; and grows with gainRule, which is deterministic: it reads columns
// in AllAttributes order, which is fixed (insertion order in
// DenseInstances, the parent's order in the views ID3 builds). golearn still
// stores the rows, grows the tree (InferID3Tree) and partitions each node.
// TestForestLearnsKnownBoundary proves the result on the problem above.

// ForestConfig sizes the golearn forest. Zero fields take defaults.
type ForestConfig struct {
	Trees       int     // trees in the bag; default 100
	MaxBins     int     // quantile bins per column; default 16
	MinSplit    int     // rows a node needs to be split; default 20
	MinGain     float64 // bits of information a split must gain; default 0.001
	Alpha       float64 // significance level a split must reach (G-test); default 0.01
	FeatureFrac float64 // share of the columns each tree may use, rounded up; default 0.5
	Smoothing   float64 // pseudo-rows at the prior in leaf frequencies; default 2
}

func (c ForestConfig) withDefaults() ForestConfig {
	if c.Trees <= 0 {
		c.Trees = 100
	}
	if c.MaxBins < 2 {
		c.MaxBins = 16
	}
	if c.MinSplit <= 0 {
		c.MinSplit = 20
	}
	if c.MinGain <= 0 {
		c.MinGain = 0.001
	}
	if !(c.Alpha > 0 && c.Alpha < 1) {
		c.Alpha = 0.01
	}
	if !(c.FeatureFrac > 0 && c.FeatureFrac <= 1) {
		c.FeatureFrac = 0.5
	}
	if c.Smoothing <= 0 {
		c.Smoothing = 2
	}
	return c
}

// forest is bagged, binned ID3 trees. Its raw score is the mean over trees
// of the smoothed share of late rows in the leaf a row reaches.
type forest struct {
	Edges     [][]float64 `json:"edges"` // bin edges per column
	Trees     []tree      `json:"trees"`
	Prior     float64     `json:"prior"` // share of late rows in training
	Smoothing float64     `json:"smoothing"`
}

// fitForest grows cfg.Trees trees on bootstrap samples of the rows idx.
// Tree t draws from its own source seeded by (seed, t), so trees can grow
// in parallel and the result does not depend on scheduling.
// grown, when not nil, is called after each tree, from the workers.
func fitForest(rows [][]float64, y []bool, idx []int, cfg ForestConfig, seed uint64, grown func()) (*forest, error) {
	cfg = cfg.withDefaults()
	f := &forest{Edges: fitBins(rows, idx, cfg.MaxBins), Trees: make([]tree, cfg.Trees), Smoothing: cfg.Smoothing}
	for _, i := range idx {
		f.Prior += target(y[i]) / float64(len(idx))
	}
	usable := usableColumns(f.Edges)
	errs := make([]error, cfg.Trees)
	var wg sync.WaitGroup
	work := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for t := range work {
				f.Trees[t], errs[t] = growTree(rows, y, idx, usable, f.Edges, cfg, rand.New(rand.NewPCG(seed, uint64(t))))
				if grown != nil {
					grown()
				}
			}
		})
	}
	for t := range cfg.Trees {
		work <- t
	}
	close(work)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return f, nil
}

// usableColumns are those with more than one bin: a constant column can
// never be split on and would only waste a tree's column budget.
func usableColumns(edges [][]float64) []int {
	var cols []int
	for j, e := range edges {
		if len(e) > 0 {
			cols = append(cols, j)
		}
	}
	return cols
}

// growTree draws a bootstrap sample and a column subset, has golearn grow
// an ID3 tree on them and copies it out.
func growTree(rows [][]float64, y []bool, idx, usable []int, edges [][]float64, cfg ForestConfig, r *rand.Rand) (tree, error) {
	sample := make([]int, len(idx))
	for k := range sample {
		sample[k] = idx[r.IntN(len(idx))]
	}
	cols := slices.Clone(usable)
	r.Shuffle(len(cols), func(a, b int) { cols[a], cols[b] = cols[b], cols[a] })
	cols = cols[:max(1, int(math.Ceil(cfg.FeatureFrac*float64(len(cols)))))]
	slices.Sort(cols)
	inst, err := binnedInstances(rows, y, sample, cols, edges)
	if err != nil {
		return tree{}, err
	}
	id3 := trees.NewID3DecisionTreeFromRule(0, &gainRule{minSplit: cfg.MinSplit, minGain: cfg.MinGain, alpha: cfg.Alpha})
	if err := id3.Fit(inst); err != nil {
		return tree{}, err
	}
	bins := make([]int, len(edges))
	for j, e := range edges {
		bins[j] = len(e) + 1
	}
	return fromGolearn(id3.Root, bins)
}

// value is a node's smoothed share of late rows. The conversion of the
// product stops a multiply-add from being fused at one inlined call site
// and not at another, so score and prob agree to the bit on every
// architecture.
func (f *forest) value(nd *node) float64 {
	return (float64(nd.Pos) + float64(f.Smoothing*f.Prior)) / (float64(nd.N) + f.Smoothing)
}

// score returns the forest's raw probability of x and each column's share
// of it: at every split along a tree's path, the change in the smoothed
// late share is credited to the column split on. The shares plus the mean
// root value add up to the score.
func (f *forest) score(x []float64) (float64, []float64) {
	contrib := make([]float64, len(f.Edges))
	var sum float64
	var buf []int
	for t := range f.Trees {
		tr := &f.Trees[t]
		buf = tr.path(x, f.Edges, buf)
		prev := f.value(&tr.Nodes[0])
		for k := 1; k < len(buf); k++ {
			parent, cur := &tr.Nodes[buf[k-1]], &tr.Nodes[buf[k]]
			v := f.value(cur)
			contrib[parent.Feature] += (v - prev) / float64(len(f.Trees))
			prev = v
		}
		sum += prev
	}
	return sum / float64(len(f.Trees)), contrib
}

// prob is score without the contributions: the same mean of the same leaf
// values, summed in the same tree order, so it returns the same bits. It
// bins each column of x once instead of once per tree node, which is what
// makes it fast (a forest of 100 trees otherwise binary-searches edges
// several hundred times per row), and it does not allocate for rows of
// up to features.NumFeatures columns, which every stored model has.
func (f *forest) prob(x []float64) float64 {
	var buf [features.NumFeatures]int
	bins := buf[:]
	if len(f.Edges) > len(buf) {
		// Train and Decode never let a model this wide through; this only
		// keeps prob correct for any forest fitForest can return.
		bins = make([]int, len(f.Edges))
	}
	for j, e := range f.Edges {
		bins[j] = binOf(e, x[j])
	}
	var sum float64
	for t := range f.Trees {
		tr := &f.Trees[t]
		sum += f.value(&tr.Nodes[tr.leaf(bins)])
	}
	return sum / float64(len(f.Trees))
}

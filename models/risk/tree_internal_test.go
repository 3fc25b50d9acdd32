package risk

import (
	"math/rand/v2"
	"testing"

	"github.com/sjwhitworth/golearn/trees"
)

// TestTreeCopyPredictsLikeGolearn grows one tree with golearn, copies it
// and checks that for every training row the copy reaches a leaf with the
// class frequencies golearn's PredictProba reports.
func TestTreeCopyPredictsLikeGolearn(t *testing.T) {
	rows, y := boundary(rand.New(rand.NewPCG(12, 13)), 400, 0.1, 2)
	edges := fitBins(rows, upTo(len(rows)), 6)
	cols := []int{0, 1, 2, 3}
	inst, err := binnedInstances(rows, y, upTo(len(rows)), cols, edges)
	if err != nil {
		t.Fatal(err)
	}
	id3 := trees.NewID3DecisionTreeFromRule(0, &gainRule{minSplit: 10, minGain: 0.001, alpha: 0.05})
	if err := id3.Fit(inst); err != nil {
		t.Fatal(err)
	}
	bins := []int{len(edges[0]) + 1, len(edges[1]) + 1, len(edges[2]) + 1, len(edges[3]) + 1}
	tr, err := fromGolearn(id3.Root, bins)
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Nodes) < 5 {
		t.Fatalf("tree has only %d nodes; the test needs some depth", len(tr.Nodes))
	}
	for i, x := range rows {
		one, err := binnedInstances(rows, y, []int{i}, cols, edges)
		if err != nil {
			t.Fatal(err)
		}
		proba, err := id3.PredictProba(one)
		if err != nil {
			t.Fatal(err)
		}
		want := 0.0
		for _, c := range proba {
			if c.ClassValue == "1" {
				want = c.Probability
			}
		}
		path := tr.path(x, edges, nil)
		leaf := tr.Nodes[path[len(path)-1]]
		if got := float64(leaf.Pos) / float64(leaf.N); got != want {
			t.Fatalf("row %d: copy gives %v, golearn %v", i, got, want)
		}
	}
}

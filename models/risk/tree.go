package risk

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/sjwhitworth/golearn/trees"
)

// tree is a grown golearn tree copied into plain, serialisable form.
// golearn saves models only as tar.gz files at a path
// (base.CreateSerializedClassifierStub), not to bytes, and a loaded tree
// needs golearn's attribute objects to predict; the copy is a few integers
// per node, stores as JSON in the model and predicts without golearn.
// tree_internal_test.go checks that it predicts what golearn predicts.
type tree struct {
	Nodes []node `json:"nodes"` // Nodes[0] is the root
}

// node is one tree node. Child[b] is the node for bin b of column Feature,
// or 0 when no training row reached that bin (the root is never a child).
type node struct {
	Feature int   `json:"f"` // -1 at a leaf
	Pos     int   `json:"p"` // training rows of the class "late"
	N       int   `json:"n"` // all training rows
	Child   []int `json:"c,omitempty"`
}

// fromGolearn flattens root; bins[j] is the number of bins of column j.
func fromGolearn(root *trees.DecisionTreeNode, bins []int) (tree, error) {
	var t tree
	_, err := t.add(root, bins)
	return t, err
}

func (t *tree) add(g *trees.DecisionTreeNode, bins []int) (int, error) {
	at := len(t.Nodes)
	pos, neg := g.ClassDist["1"], g.ClassDist["0"]
	t.Nodes = append(t.Nodes, node{Feature: -1, Pos: pos, N: pos + neg})
	if g.Children == nil || g.SplitRule == nil || g.SplitRule.SplitAttr == nil {
		return at, nil
	}
	j, err := strconv.Atoi(strings.TrimPrefix(g.SplitRule.SplitAttr.GetName(), "f"))
	if err != nil || j < 0 || j >= len(bins) {
		return 0, fmt.Errorf("risk: golearn tree splits on unknown column %q", g.SplitRule.SplitAttr.GetName())
	}
	child := make([]int, bins[j])
	for b := range child {
		if c, ok := g.Children[strconv.Itoa(b)]; ok {
			if child[b], err = t.add(c, bins); err != nil {
				return 0, err
			}
		}
	}
	t.Nodes[at].Feature, t.Nodes[at].Child = j, child
	return at, nil
}

// path returns the nodes x passes from the root. At a bin no training row
// reached, it stops at the node before, whose frequency is then the best
// estimate (golearn would pick a child in random map order instead).
func (t *tree) path(x []float64, edges [][]float64, buf []int) []int {
	buf = append(buf[:0], 0)
	for at := 0; t.Nodes[at].Feature >= 0; {
		nd := &t.Nodes[at]
		next := nd.Child[binOf(edges[nd.Feature], x[nd.Feature])]
		if next == 0 {
			break
		}
		at = next
		buf = append(buf, at)
	}
	return buf
}

// leaf is the last node of path, for a row already binned: bins[j] is the
// bin of column j. It stops where path stops.
func (t *tree) leaf(bins []int) int {
	at := 0
	for t.Nodes[at].Feature >= 0 {
		nd := &t.Nodes[at]
		next := nd.Child[bins[nd.Feature]]
		if next == 0 {
			break
		}
		at = next
	}
	return at
}

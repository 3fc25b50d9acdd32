package risk_test

import (
	"math/rand/v2"
	"testing"

	"github.com/billtriage/billtriage/models/risk"
	"github.com/sjwhitworth/golearn/base"
	"github.com/sjwhitworth/golearn/evaluation"
	"github.com/sjwhitworth/golearn/trees"
)

// boundary is x1, x2 ~ U(0,1), late when x1 + x2 > 1, 10% labels flipped.
func boundary(r *rand.Rand, n int) ([][]float64, []bool) {
	rows := make([][]float64, n)
	y := make([]bool, n)
	for i := range rows {
		rows[i] = []float64{r.Float64(), r.Float64()}
		y[i] = (rows[i][0]+rows[i][1] > 1) != (r.Float64() < 0.1)
	}
	return rows, y
}

func TestToInstances(t *testing.T) {
	rows := [][]float64{{1.5, -2}, {0, 3.25}, {-0.5, 0}}
	y := []bool{true, false, true}
	inst, err := risk.ToInstances(rows, y, []string{"a", "b"})
	if err != nil {
		t.Fatal(err)
	}
	cols, n := inst.Size()
	if cols != 3 || n != 3 {
		t.Fatalf("size %d×%d, want 3 columns (2 and the class) × 3 rows", cols, n)
	}
	// Looked up by name: golearn's NonClassAttributes comes out in map
	// order (base/util_attributes.go:144-153).
	specs := make([]base.AttributeSpec, 2)
	for j, name := range []string{"a", "b"} {
		if specs[j], err = inst.GetAttribute(base.NewFloatAttribute(name)); err != nil {
			t.Fatal(err)
		}
	}
	for i, row := range rows {
		for j, want := range row {
			if got := base.UnpackBytesToFloat(inst.Get(specs[j], i)); got != want {
				t.Errorf("row %d column %d: %v, want %v", i, j, got, want)
			}
		}
		if got, want := base.GetClass(inst, i), map[bool]string{true: "1", false: "0"}[y[i]]; got != want {
			t.Errorf("row %d class %q, want %q", i, got, want)
		}
	}
	if _, err := risk.ToInstances(rows, y[:2], []string{"a", "b"}); err == nil {
		t.Error("mismatched labels accepted")
	}
	if _, err := risk.ToInstances(rows, y, []string{"a"}); err == nil {
		t.Error("rows wider than the names accepted")
	}
}

func id3Accuracy(t *testing.T, train base.FixedDataGrid, test *base.DenseInstances) (float64, *trees.ID3DecisionTree) {
	t.Helper()
	tree := trees.NewID3DecisionTree(0)
	if err := tree.Fit(train); err != nil {
		t.Fatal(err)
	}
	pred, err := tree.Predict(test)
	if err != nil {
		t.Fatal(err)
	}
	cm, err := evaluation.GetConfusionMatrix(test, pred)
	if err != nil {
		t.Fatal(err)
	}
	return evaluation.GetAccuracy(cm), tree
}

// TestGolearnRowViewDecouplesValuesFromLabels pins down why golearn's
// RandomForest scores at chance (see forest.go): its bootstrap sample is a
// row view whose MapOverRows ignores the row map, so a tree trained on it
// pairs values with other rows' labels. The same rows copied out train
// fine. If a golearn upgrade fixes the view, this test says so.
func TestGolearnRowViewDecouplesValuesFromLabels(t *testing.T) {
	r := rand.New(rand.NewPCG(20, 21))
	rows, y := boundary(r, 2000)
	testRows, testY := boundary(r, 2000)
	inst, _ := risk.ToInstances(rows, y, []string{"x1", "x2"})
	test, _ := risk.ToInstances(testRows, testY, []string{"x1", "x2"})
	// The row map SampleWithReplacement builds, from a seeded source.
	rowMap := map[int]int{}
	var sRows [][]float64
	var sY []bool
	for i := range rows {
		rowMap[i] = r.IntN(len(rows))
		sRows, sY = append(sRows, rows[rowMap[i]]), append(sY, y[rowMap[i]])
	}
	view := base.NewInstancesViewFromRows(inst, rowMap)
	spec := base.ResolveAttributes(view, base.NonClassAttributes(view))[0]
	mismatched := 0
	_ = view.MapOverRows([]base.AttributeSpec{spec}, func(v [][]byte, row int) (bool, error) {
		if base.UnpackBytesToFloat(v[0]) != base.UnpackBytesToFloat(view.Get(spec, row)) {
			mismatched++
		}
		return true, nil
	})
	if mismatched < len(rows)*9/10 {
		t.Errorf("MapOverRows and Get disagree on only %d of %d rows", mismatched, len(rows))
	}
	copied, _ := risk.ToInstances(sRows, sY, []string{"x1", "x2"})
	onView, _ := id3Accuracy(t, view, test)
	onCopy, _ := id3Accuracy(t, copied, test)
	t.Logf("ID3 accuracy: %.3f on the view, %.3f on the same rows copied", onView, onCopy)
	// A one-split tree on the copy is right about 70% of the time here;
	// chance is 50%.
	if onView > 0.6 || onCopy < 0.65 {
		t.Errorf("accuracy %.3f on the view, %.3f on the copy: not the pattern the workaround is for", onView, onCopy)
	}
}

// TestGolearnID3StopsOneColumnEarly: on two float columns golearn's ID3
// makes one split, because it removes a column once split on and stops
// when two columns (one being the class) remain. forest.go adds a pad
// column against this.
func TestGolearnID3StopsOneColumnEarly(t *testing.T) {
	rows, y := boundary(rand.New(rand.NewPCG(22, 23)), 1000)
	inst, _ := risk.ToInstances(rows, y, []string{"x1", "x2"})
	_, tree := id3Accuracy(t, inst, inst)
	if tree.Root.Children == nil {
		t.Fatal("root did not split")
	}
	for k, c := range tree.Root.Children {
		if c.Children != nil {
			t.Errorf("child %s split again: the early stop looks fixed", k)
		}
	}
}

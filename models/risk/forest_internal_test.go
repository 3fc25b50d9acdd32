package risk

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
)

// TestForestLearnsKnownBoundary is the problem on which golearn's own
// RandomForest scores at chance: the forest here must reach 0.9 of the
// Bayes rate, with and without noise columns beside the two that matter.
func TestForestLearnsKnownBoundary(t *testing.T) {
	tests := []struct {
		name         string
		noise        float64
		extraColumns int
	}{
		{"two columns, 10% label noise", 0.1, 0},
		{"two columns and three noise columns", 0.1, 3},
		{"two columns, no label noise", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(6, 7))
			rows, y := boundary(r, 2000, tt.noise, tt.extraColumns)
			test, ty := boundary(r, 4000, tt.noise, tt.extraColumns)
			f, err := fitForest(rows, y, upTo(len(rows)), ForestConfig{Trees: 50}, 1, nil)
			if err != nil {
				t.Fatal(err)
			}
			acc := accuracy(test, ty, func(x []float64) bool { p, _ := f.score(x); return p > 0.5 })
			if bayes := 1 - tt.noise; acc < 0.9*bayes {
				t.Errorf("accuracy %.3f, want at least 0.9 of the Bayes rate %.2f", acc, bayes)
			}
			t.Logf("accuracy %.3f (Bayes rate %.2f)", acc, 1-tt.noise)
		})
	}
}

func TestForestIsDeterministic(t *testing.T) {
	rows, y := boundary(rand.New(rand.NewPCG(8, 9)), 500, 0.1, 2)
	a, errA := fitForest(rows, y, upTo(len(rows)), ForestConfig{Trees: 20}, 3, nil)
	b, errB := fitForest(rows, y, upTo(len(rows)), ForestConfig{Trees: 20}, 3, nil)
	c, errC := fitForest(rows, y, upTo(len(rows)), ForestConfig{Trees: 20}, 4, nil)
	if errA != nil || errB != nil || errC != nil {
		t.Fatal(errA, errB, errC)
	}
	if !reflect.DeepEqual(a, b) {
		t.Error("the same seed grew different forests")
	}
	if reflect.DeepEqual(a, c) {
		t.Error("different seeds grew the same forest")
	}
}

// TestForestContributionsAddUp: the column shares plus the mean root value
// are the forest's score.
func TestForestContributionsAddUp(t *testing.T) {
	rows, y := boundary(rand.New(rand.NewPCG(10, 11)), 800, 0.1, 1)
	f, err := fitForest(rows, y, upTo(len(rows)), ForestConfig{Trees: 30}, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	var root float64
	for i := range f.Trees {
		root += f.value(&f.Trees[i].Nodes[0]) / float64(len(f.Trees))
	}
	mean := make([]float64, 3)
	for _, x := range rows {
		p, per := f.score(x)
		sum := root
		for j, v := range per {
			sum += v
			mean[j] += math.Abs(v) / float64(len(rows))
		}
		if math.Abs(sum-p) > 1e-12 {
			t.Fatalf("shares add to %v, score %v", sum, p)
		}
	}
	// Column 2 is noise: on average it must move the score least.
	if mean[2] >= mean[0] || mean[2] >= mean[1] {
		t.Errorf("mean absolute shares %v: the noise column is not the smallest", mean)
	}
}

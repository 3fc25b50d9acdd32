package classify_test

import (
	"cmp"
	"encoding/csv"
	"errors"
	"hash/fnv"
	"io/fs"
	"math"
	"os"
	"slices"
	"strconv"
	"testing"

	"github.com/billtriage/billtriage/internal/testenv"
	"github.com/billtriage/billtriage/models/classify"
)

// sharedData is the shared data directory as seen from this package.
const sharedData = "../../../shared/data/"

// readCSV returns the rows of a shared data file as maps from column
// name to value. A missing file fails the test in CI, where the data must
// be present, and skips it elsewhere.
func readCSV(t testing.TB, rel string) []map[string]string {
	t.Helper()
	f, err := os.Open(sharedData + rel)
	if errors.Is(err, fs.ErrNotExist) {
		testenv.Missing(t, "%s: %v", rel, err)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	rows := make([]map[string]string, 0, len(recs)-1)
	for _, rec := range recs[1:] {
		row := make(map[string]string, len(rec))
		for i, name := range recs[0] {
			row[name] = rec[i]
		}
		rows = append(rows, row)
	}
	return rows
}

// split is a train/test split of labelled texts.
type split struct {
	trainX, trainY, testX, testY []string
}

// stratifiedSplit puts, for each label, the rows with the highest
// FNV-1a hash of (seed, text) into test: the last testShare of them,
// rounded down. Both parts come out in hash order. A file grouped by label
// (BANKING77's is) has no time order, and hash order is the stand-in: it
// makes the calibration hold-out, the tail of the train part, a mix of
// all labels, as the most recent cases of a real history would be.
func stratifiedSplit(texts, labels []string, seed string, testShare float64) split {
	keys := make([]uint64, len(texts))
	for i, x := range texts {
		h := fnv.New64a()
		h.Write([]byte(seed + "\x00" + x))
		keys[i] = h.Sum64()
	}
	order := make([]int, len(texts))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(keys[a], keys[b]) })
	total, seen := map[string]int{}, map[string]int{}
	for _, l := range labels {
		total[l]++
	}
	var s split
	for _, i := range order {
		l := labels[i]
		seen[l]++
		if seen[l] > total[l]-int(float64(total[l])*testShare) {
			s.testX, s.testY = append(s.testX, texts[i]), append(s.testY, l)
		} else {
			s.trainX, s.trainY = append(s.trainX, texts[i]), append(s.trainY, l)
		}
	}
	return s
}

// prediction is a model's top class for one test case and whether it was
// right.
type prediction struct {
	p       float64
	correct bool
}

// predictAll returns the top prediction of each test text.
func predictAll(m *classify.Model, texts, labels []string) []prediction {
	out := make([]prediction, len(texts))
	for i, x := range texts {
		l, p := m.Top(x)
		out[i] = prediction{p: p, correct: l == labels[i]}
	}
	return out
}

// accuracy is the share of correct predictions.
func accuracy(ps []prediction) float64 {
	n := 0
	for _, p := range ps {
		if p.correct {
			n++
		}
	}
	return float64(n) / float64(len(ps))
}

// ece is the expected calibration error over bins equal-width confidence
// bins: the mean over cases of |accuracy - confidence| of their bin.
func ece(ps []prediction, bins int) float64 {
	conf, acc, n := make([]float64, bins), make([]float64, bins), make([]float64, bins)
	for _, p := range ps {
		b := min(int(p.p*float64(bins)), bins-1)
		conf[b] += p.p
		n[b]++
		if p.correct {
			acc[b]++
		}
	}
	e := 0.0
	for b := range bins {
		e += math.Abs(acc[b] - conf[b])
	}
	return e / float64(len(ps))
}

// atThreshold returns the share of cases with confidence at least t and
// the accuracy among them (NaN when there are none).
func atThreshold(ps []prediction, t float64) (coverage, precision float64) {
	kept, right := 0, 0
	for _, p := range ps {
		if p.p >= t {
			kept++
			if p.correct {
				right++
			}
		}
	}
	return float64(kept) / float64(len(ps)), float64(right) / float64(kept)
}

// itoa keeps the test tables short.
func itoa(i int) string { return strconv.Itoa(i) }

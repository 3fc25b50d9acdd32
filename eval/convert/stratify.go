package convert

import (
	"math"
	"sort"
)

// stratify orders rows so that the first floor(frac × n) of them are a
// stratified sample of the classes: each class is shuffled and its first
// quota rows go to the history, the rest to the test part. Quotas are
// frac × class size rounded down, and the rows still missing to reach
// floor(frac × n) go one each to the classes with the largest remainders
// (ties by class name), so both parts keep the class proportions to
// within one row. The history rows are then shuffled together, and so are
// the test rows, so neither part is ordered by class.
//
// rows[i] is the class of row i; the result lists row indices, history
// first, and h is the history's size.
func stratify(rows []string, frac float64) (order []int, h int) {
	byClass := map[string][]int{}
	for i, c := range rows {
		byClass[c] = append(byClass[c], i)
	}
	classes := make([]string, 0, len(byClass))
	for c := range byClass {
		classes = append(classes, c)
	}
	sort.Strings(classes)
	r := newRand()
	for _, c := range classes {
		shuffle(r, byClass[c])
	}
	h = int(frac * float64(len(rows))) // the rule eval.HistorySize applies
	quota := quotas(classes, byClass, frac, h)
	var hist, test []int
	for _, c := range classes {
		hist = append(hist, byClass[c][:quota[c]]...)
		test = append(test, byClass[c][quota[c]:]...)
	}
	shuffle(r, hist)
	shuffle(r, test)
	return append(hist, test...), h
}

// quotas splits h history rows among the classes by largest remainder.
func quotas(classes []string, byClass map[string][]int, frac float64, h int) map[string]int {
	q := map[string]int{}
	rem := make([]string, 0, len(classes))
	sum := 0
	for _, c := range classes {
		exact := frac * float64(len(byClass[c]))
		q[c] = int(math.Floor(exact))
		sum += q[c]
		rem = append(rem, c)
	}
	frac0 := func(c string) float64 { return frac*float64(len(byClass[c])) - float64(q[c]) }
	sort.SliceStable(rem, func(i, j int) bool { return frac0(rem[i]) > frac0(rem[j]) })
	for i := 0; sum < h && i < len(rem); i++ {
		if q[rem[i]] < len(byClass[rem[i]]) {
			q[rem[i]]++
			sum++
		}
	}
	return q
}

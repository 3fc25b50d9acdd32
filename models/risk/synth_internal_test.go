package risk

import "math/rand/v2"

// boundary draws the known-answer problem: x1, x2 ~ U(0,1), late when
// x1 + x2 > 1, each label flipped with probability noise, so the best
// possible accuracy (the Bayes rate) is 1 − noise. extra columns of pure
// noise may be added.
func boundary(r *rand.Rand, n int, noise float64, extra int) ([][]float64, []bool) {
	rows := make([][]float64, n)
	y := make([]bool, n)
	for i := range rows {
		row := make([]float64, 2+extra)
		for j := range row {
			row[j] = r.Float64()
		}
		rows[i] = row
		y[i] = (row[0]+row[1] > 1) != (r.Float64() < noise)
	}
	return rows, y
}

func upTo(n int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return idx
}

func accuracy(rows [][]float64, y []bool, late func([]float64) bool) float64 {
	right := 0
	for i, x := range rows {
		if late(x) == y[i] {
			right++
		}
	}
	return float64(right) / float64(len(rows))
}

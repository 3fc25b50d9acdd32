package risk

import "math"

// scaler standardises columns with the training rows' mean and standard
// deviation, so that one L2 penalty treats all columns alike and a
// coefficient times a standardised value is comparable across columns.
type scaler struct {
	Mean []float64 `json:"mean"`
	SD   []float64 `json:"sd"` // 1 for a column constant in training
}

func fitScaler(rows [][]float64, idx []int) scaler {
	d := len(rows[idx[0]])
	s := scaler{Mean: make([]float64, d), SD: make([]float64, d)}
	n := float64(len(idx))
	for j := range d {
		first, constant := rows[idx[0]][j], true
		var sum, sq float64
		for _, i := range idx {
			sum += rows[i][j]
			constant = constant && rows[i][j] == first
		}
		if constant {
			// A constant column carries no signal: centring it on its
			// value makes it exactly 0 in training, so its coefficient
			// stays exactly 0.
			s.Mean[j], s.SD[j] = first, 1
			continue
		}
		s.Mean[j] = sum / n
		for _, i := range idx {
			sq += (rows[i][j] - s.Mean[j]) * (rows[i][j] - s.Mean[j])
		}
		s.SD[j] = math.Sqrt(sq / n)
	}
	return s
}

func (s scaler) apply(x []float64) []float64 {
	z := make([]float64, len(x))
	for j, v := range x {
		z[j] = (v - s.Mean[j]) / s.SD[j]
	}
	return z
}

package risk

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// logistic is an L2-regularised logistic regression on standardised
// columns: score = Bias + Σ Coef[j]·z[j], in log-odds.
type logistic struct {
	Scaler scaler    `json:"scaler"`
	Coef   []float64 `json:"coef"`
	Bias   float64   `json:"bias"`
	Lambda float64   `json:"lambda"`
}

// newtonIters bounds the fit; it converges in well under 30 iterations on
// the data here, and the bound keeps the run time fixed in the worst case.
const newtonIters = 50

// fitLogistic minimises Σ logloss + λ/2·‖coef‖² (the bias is not
// penalised) by Newton's method, solving each step with a Cholesky
// factorisation. It is deterministic: no random start, no parallel sums.
// Columns in off keep a coefficient of exactly 0: Train tries the model
// with and without candidate columns.
func fitLogistic(rows [][]float64, y []bool, idx []int, lambda float64, off []int) (*logistic, error) {
	sc := fitScaler(rows, idx)
	d := len(sc.Mean)
	z := make([][]float64, len(idx))
	for k, i := range idx {
		z[k] = sc.apply(rows[i])
	}
	w := make([]float64, d+1) // w[d] is the bias
	for range newtonIters {
		grad, hess := logisticDerivatives(z, y, idx, w, lambda)
		for _, j := range off {
			// A zero gradient and a unit row and column in the Hessian
			// make the Newton step leave w[j] at 0.
			grad[j] = 0
			for k := range d + 1 {
				hess.SetSym(j, k, 0)
			}
			hess.SetSym(j, j, 1)
		}
		step, err := solveSPD(hess, grad)
		if err != nil {
			return nil, err
		}
		biggest := 0.0
		for j := range w {
			w[j] -= step[j]
			biggest = max(biggest, math.Abs(step[j]))
		}
		if biggest < 1e-10 {
			break
		}
	}
	return &logistic{Scaler: sc, Coef: w[:d], Bias: w[d], Lambda: lambda}, nil
}

// logisticDerivatives returns the gradient and Hessian of the penalised
// loss at w, with the bias as the last coordinate.
func logisticDerivatives(z [][]float64, y []bool, idx []int, w []float64, lambda float64) ([]float64, *mat.SymDense) {
	d := len(w) - 1
	grad := make([]float64, d+1)
	h := make([]float64, (d+1)*(d+1)) // upper triangle, row-major
	x := make([]float64, d+1)
	for k, i := range idx {
		copy(x, z[k])
		x[d] = 1
		p := sigmoid(dot(w, x))
		r, v := p-target(y[i]), p*(1-p)
		for a := range x {
			grad[a] += r * x[a]
			va := v * x[a]
			for b := a; b <= d; b++ {
				h[a*(d+1)+b] += va * x[b]
			}
		}
	}
	for j := range d {
		grad[j] += lambda * w[j]
		h[j*(d+1)+j] += lambda
	}
	h[d*(d+1)+d] += 1e-9                 // the bias is unpenalised; this keeps it solvable if one class is absent
	return grad, mat.NewSymDense(d+1, h) // SymDense reads the upper triangle only
}

func solveSPD(a *mat.SymDense, b []float64) ([]float64, error) {
	var ch mat.Cholesky
	if !ch.Factorize(a) {
		return nil, fmt.Errorf("risk: logistic Hessian is not positive definite")
	}
	var x mat.VecDense
	if err := ch.SolveVecTo(&x, mat.NewVecDense(len(b), b)); err != nil {
		return nil, fmt.Errorf("risk: logistic Newton step: %w", err)
	}
	return x.RawVector().Data, nil
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// score returns the log-odds of x and each column's share of it,
// Coef[j]·z[j]; the shares plus Bias add up to the score.
func (m *logistic) score(x []float64) (float64, []float64) {
	contrib := make([]float64, len(x))
	return m.logOdds(x, contrib), contrib
}

// logOdds is Bias + Σ Coef[j]·z[j], standardising x on the fly, and stores
// each term in contrib unless contrib is nil. Predict and Probability both
// come here, so the two give the same bits: one loop, one order of
// additions. The explicit float64 conversion keeps a compiler that fuses
// multiply-adds (arm64 does) from fusing one caller's loop and not the
// other's.
func (m *logistic) logOdds(x, contrib []float64) float64 {
	mean, sd := m.Scaler.Mean, m.Scaler.SD
	s := m.Bias
	for j, v := range x {
		c := float64(m.Coef[j] * ((v - mean[j]) / sd[j]))
		if contrib != nil {
			contrib[j] = c
		}
		s += c
	}
	return s
}

package classify

import (
	"context"
)

// linear is a multinomial logistic regression under training. The weight
// of (row j, class c) is scale·w[j·k+c]: L2 shrinks every weight by the
// same factor each step, and keeping that factor apart makes the step cost
// proportional to the example's features, not to the whole matrix
// (Bottou's trick; the regularisation stays exact).
type linear struct {
	k     int
	w     []float64
	b     []float64
	scale float64
}

// minScale is when the pending shrinkage is folded into w, long before
// 1/scale could lose precision.
const minScale = 1e-6

// ctxEvery is how many SGD steps run between looks at ctx.
const ctxEvery = 1024

func newLinear(rows, k int) *linear {
	return &linear{k: k, w: make([]float64, rows*k), b: make([]float64, k), scale: 1}
}

// logits writes the class scores of the example (cols, vals) into z.
func (m *linear) logits(z []float64, cols []int32, vals []float32) {
	copy(z, m.b)
	for i, j := range cols {
		x := m.scale * float64(vals[i])
		row := m.w[int(j)*m.k:][:m.k]
		z := z[:len(row)]
		for c, w := range row {
			// The conversion forbids fusing into an FMA, so every
			// platform rounds alike.
			z[c] += float64(x * w)
		}
	}
}

// fit runs SGD over d for cfg.Epochs, visiting the examples in a seeded
// shuffle each epoch, with a learning rate decaying linearly to zero.
func (m *linear) fit(ctx context.Context, d *dataset, cfg Config) error {
	n := d.len()
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	r := rng{s: cfg.Seed}
	z := make([]float64, m.k)
	total, t := float64(cfg.Epochs*n), 0
	for range cfg.Epochs {
		r.shuffle(order)
		for _, i := range order {
			if t%ctxEvery == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			eta := cfg.LearningRate * (1 - float64(t)/total)
			m.step(z, d, int(i), eta, cfg.L2)
			t++
		}
	}
	m.fold()
	return nil
}

// step takes one SGD step on example i: the softmax cross-entropy
// gradient (p - onehot(y))·xᵀ plus λ·W.
func (m *linear) step(z []float64, d *dataset, i int, eta, l2 float64) {
	cols, vals := d.row(i)
	m.logits(z, cols, vals)
	softmaxInPlace(z, 1)
	z[d.y[i]]--
	m.scale *= 1 - eta*l2
	for n, j := range cols {
		coef := eta * float64(vals[n]) / m.scale
		row := m.w[int(j)*m.k:][:m.k]
		row = row[:len(z)]
		for c, g := range z {
			row[c] -= float64(coef * g)
		}
	}
	// The biases are not regularised: they carry the class priors, which
	// shrinking would flatten.
	for c, g := range z {
		m.b[c] -= eta * g
	}
	if m.scale < minScale {
		m.fold()
	}
}

// fold multiplies the pending scale into w.
func (m *linear) fold() {
	for i := range m.w {
		m.w[i] *= m.scale
	}
	m.scale = 1
}

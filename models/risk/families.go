package risk

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/billtriage/billtriage/features"
)

// familyResult is a family's report and its fitted calibration.
type familyResult struct {
	FamilyReport
	cal Calibration
}

// candidateColumns are the interaction columns the logistic family may
// leave out. They were added because the notes suspected them, not because
// every data set bears them out (on the IBM sample the amount against the
// customer's usual one lowers the held-out AUC), so whether to keep each
// is chosen like λ.
var candidateColumns = []string{"hist_late_x_known", "amount_vs_usual"}

// linearOff are columns the logistic family never uses: amount_usd is
// log_amount_usd on a scale where a few huge invoices set the standard
// deviation and the coefficient, so the log carries the amount for a
// linear model. The forest, whose bins are by rank, sees the two alike.
var linearOff = []string{"amount_usd"}

// selectFrac is the oldest share of the training slice that fits the
// candidate settings of the logistic family; the rest of the training
// slice, later in time, judges them. The chosen setting is then refitted on
// the whole training slice. Choosing on a slice of its own keeps the
// calibration slice for calibration alone: a setting chosen there would be
// judged by the same rows the calibration is fitted on.
const selectFrac = 0.75

// trainLogistic fits one logistic model per λ and subset of the candidate
// columns on the older part of the training slice, keeps the setting with
// the lowest log loss on the newer part and refits it on the whole slice.
// The simplest setting (fewest columns, then the last λ of cfg.Lambdas, the
// strongest by default) wins a tie, the order of the loops.
func trainLogistic(rows [][]float64, y []bool, sp Split, cfg Config) (*logistic, familyResult, error) {
	cut := int(selectFrac * float64(len(sp.Train)))
	fit, judge := sp.Train[:cut], sp.Train[cut:]
	var bestOff []int
	bestLambda, bestLoss := 0.0, math.Inf(1)
	for _, off := range candidateOffs() {
		for _, lambda := range slices.Backward(cfg.Lambdas) {
			m, err := fitLogistic(rows, y, fit, lambda, off)
			if err != nil {
				return nil, familyResult{}, err
			}
			cfg.step()
			loss := LogLoss(probs(rows, judge, func(x []float64) float64 { s, _ := m.score(x); return sigmoid(s) }), pick(y, judge))
			if loss < bestLoss {
				bestOff, bestLambda, bestLoss = off, lambda, loss
			}
		}
	}
	best, err := fitLogistic(rows, y, sp.Train, bestLambda, bestOff)
	if err != nil {
		return nil, familyResult{}, err
	}
	cfg.step()
	res, err := calibrateAndJudge(rows, y, sp, func(x []float64) float64 { s, _ := best.score(x); return s }, cfg.Calibration)
	res.Setting = fmt.Sprintf("L2 lambda %g", best.Lambda)
	var left []string
	for _, j := range bestOff {
		if name := features.Names()[j]; slices.Contains(candidateColumns, name) {
			left = append(left, name)
		}
	}
	if len(left) > 0 {
		res.Setting += ", without " + strings.Join(left, ", ")
	}
	return best, res, err
}

// candidateOffs lists the column sets the logistic family may leave out,
// fewest columns used first: linearOff always, plus each subset of
// candidateColumns.
func candidateOffs() [][]int {
	var always []int
	for _, name := range linearOff {
		always = append(always, column(name))
	}
	var out [][]int
	for mask := range 1 << len(candidateColumns) {
		off := slices.Clone(always)
		for k, name := range candidateColumns {
			if mask&(1<<k) == 0 {
				off = append(off, column(name))
			}
		}
		out = append(out, off)
	}
	return out
}

// trainForest grows the golearn forest on the training slice.
func trainForest(rows [][]float64, y []bool, sp Split, cfg Config) (*forest, familyResult, error) {
	f, err := fitForest(rows, y, sp.Train, cfg.Forest, cfg.Seed, cfg.tick)
	if err != nil {
		return nil, familyResult{}, err
	}
	res, err := calibrateAndJudge(rows, y, sp, func(x []float64) float64 { p, _ := f.score(x); return logit(p) }, cfg.Calibration)
	c := cfg.Forest
	res.Setting = fmt.Sprintf("%d ID3 trees, %d bins, min split %d", c.Trees, c.MaxBins, c.MinSplit)
	return f, res, err
}

// calibrateAndJudge fits the calibration on the calibration slice's raw
// scores and measures the calibrated probabilities on both later slices.
func calibrateAndJudge(rows [][]float64, y []bool, sp Split, raw func([]float64) float64, method string) (familyResult, error) {
	cal, err := FitCalibration(method, probs(rows, sp.Calibrate, raw), pick(y, sp.Calibrate))
	if err != nil {
		return familyResult{}, err
	}
	p := func(x []float64) float64 { return cal.Apply(raw(x)) }
	pv, yv := probs(rows, sp.Validate, p), pick(y, sp.Validate)
	return familyResult{cal: cal, FamilyReport: FamilyReport{
		Calibrate: Evaluate(probs(rows, sp.Calibrate, p), pick(y, sp.Calibrate)),
		Validate:  Evaluate(pv, yv),
		Deciles:   Reliability(pv, yv, 10),
	}}, nil
}

func probs(rows [][]float64, idx []int, f func([]float64) float64) []float64 {
	out := make([]float64, len(idx))
	for k, i := range idx {
		out[k] = f(rows[i])
	}
	return out
}

func pick[T any](v []T, idx []int) []T {
	out := make([]T, len(idx))
	for k, i := range idx {
		out[k] = v[i]
	}
	return out
}

// baseReport fills the slices and the two baselines.
func baseReport(rows [][]float64, y []bool, times []time.Time, sp Split) Report {
	r := Report{Rows: SliceSizes{len(sp.Train), len(sp.Calibrate), len(sp.Validate)}, Periods: Periods{
		Train: span(times, sp.Train), Calibrate: span(times, sp.Calibrate), Validate: span(times, sp.Validate)}}
	for _, i := range sp.Train {
		r.LateShare += target(y[i]) / float64(len(sp.Train))
	}
	yv := pick(y, sp.Validate)
	r.Prior = Evaluate(probs(rows, sp.Validate, func([]float64) float64 { return r.LateShare }), yv)
	known, share := column("hist_known"), column("hist_late_share")
	r.History = Evaluate(probs(rows, sp.Validate, func(x []float64) float64 {
		// Two pseudo-invoices at the prior keep a short history from
		// claiming certainty.
		return (x[share]*x[known] + 2*r.LateShare) / (x[known] + 2)
	}), yv)
	return r
}

// span is the first and last time of a slice, whose rows are in time order.
func span(times []time.Time, idx []int) [2]time.Time {
	return [2]time.Time{times[idx[0]], times[idx[len(idx)-1]]}
}

// column is the position of a features column; the names are fixed, so a
// miss is a programming error caught by every test.
func column(name string) int {
	i := slices.Index(features.Names(), name)
	if i < 0 {
		panic("risk: no features column " + name)
	}
	return i
}

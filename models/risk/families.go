package risk

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/billtriage/billtriage/features"
)

// familyResult is a family's report and its fitted calibration.
type familyResult struct {
	FamilyReport
	cal Calibration
}

// trainLogistic fits one logistic model per λ on the training slice and
// keeps the one with the lowest log loss on the calibration slice.
func trainLogistic(rows [][]float64, y []bool, sp Split, cfg Config) (*logistic, familyResult, error) {
	var best *logistic
	bestLoss := math.Inf(1)
	for _, lambda := range cfg.Lambdas {
		m, err := fitLogistic(rows, y, sp.Train, lambda)
		if err != nil {
			return nil, familyResult{}, err
		}
		loss := LogLoss(probs(rows, sp.Calibrate, func(x []float64) float64 { s, _ := m.score(x); return sigmoid(s) }), pick(y, sp.Calibrate))
		if loss < bestLoss {
			best, bestLoss = m, loss
		}
	}
	res, err := calibrateAndJudge(rows, y, sp, func(x []float64) float64 { s, _ := best.score(x); return s }, cfg.Calibration)
	res.Setting = fmt.Sprintf("L2 lambda %g", best.Lambda)
	return best, res, err
}

// trainForest grows the golearn forest on the training slice.
func trainForest(rows [][]float64, y []bool, sp Split, cfg Config) (*forest, familyResult, error) {
	f, err := fitForest(rows, y, sp.Train, cfg.Forest, cfg.Seed)
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
	return familyResult{cal: cal, FamilyReport: FamilyReport{
		Calibrate: Evaluate(probs(rows, sp.Calibrate, p), pick(y, sp.Calibrate)),
		Validate:  Evaluate(probs(rows, sp.Validate, p), pick(y, sp.Validate)),
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

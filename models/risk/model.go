package risk

import (
	"cmp"
	"math"
	"slices"

	"github.com/billtriage/billtriage/features"
	"github.com/billtriage/billtriage/triage"
)

// Family names a kind of model.
type Family string

// The model families Train fits.
const (
	Logistic Family = "logistic"
	Forest   Family = "golearn-forest"
)

// Model is a trained, calibrated collection-risk model: it scores rows of
// package features, of the feature version it was trained on. A Model comes
// from Train, TrainInvoices or Decode; the zero Model cannot predict.
type Model struct {
	w wire
}

// Version identifies the model: "risk-" and 12 hex digits of the SHA-256 of
// its encoding, so the same training gives the same version.
func (m *Model) Version() string { return m.w.Version }

// Family is the family that serves.
func (m *Model) Family() Family { return m.w.Family }

// Options are the feature options the model was trained with; rows it
// scores must be built with them.
func (m *Model) Options() features.Options {
	return features.Options{LateDays: m.w.LateDays, FX: m.w.FX}
}

// Report is the training report stored with the model.
func (m *Model) Report() Report { return m.w.Report }

// Predict returns the calibrated probability that the invoice of row x is
// late, and the facts behind it, largest effect first. A fact's Feature is
// a features.Group; its Effect is in calibrated log-odds for the logistic
// family and in the forest's raw probability for the forest, so sizes rank
// the facts of one prediction and compare across models only by sign. x
// must be a row of features.Names(), as Decode ensures for a stored model.
func (m *Model) Predict(x []float64) (p float64, facts []triage.RiskFactor) {
	s, per, sign := m.rawScore(x)
	return m.w.Calibration.Apply(s), byFact(x, per, sign)
}

// Probability returns the calibrated probability that the invoice of row x
// is late: the p of Predict, to the bit, without the facts. It does not
// allocate, which makes it the call for scoring many rows (see
// BenchmarkScoreLogistic and BenchmarkScoreForest); x must be a row of
// features.Names().
func (m *Model) Probability(x []float64) float64 {
	if m.w.Family == Logistic {
		return m.w.Calibration.Apply(m.w.Logistic.logOdds(x, nil))
	}
	return m.w.Calibration.Apply(logit(m.w.Forest.prob(x)))
}

// rawScore is the serving family's score before calibration, its
// per-column shares and the factor that turns a share into an Effect.
func (m *Model) rawScore(x []float64) (float64, []float64, float64) {
	sign := 1.0
	if m.w.Calibration.Method == Platt {
		sign = m.w.Calibration.A
	}
	if m.w.Family == Logistic {
		s, per := m.w.Logistic.score(x)
		return s, per, sign // A times a log-odds share is its calibrated log-odds share
	}
	p, per := m.w.Forest.score(x)
	return logit(p), per, math.Copysign(1, sign)
}

// logit is clipped so that a forest that is unanimous still has a finite
// score for Platt scaling.
func logit(p float64) float64 {
	p = min(max(p, 1e-4), 1-1e-4)
	return math.Log(p / (1 - p))
}

// byFact adds up column shares by fact and orders them by size. A fact is
// what a person reads: columns with the same words are one fact even across
// groups (every history column of a customer without history says "no
// payment history yet"), so no statement is shown twice, once raising the
// risk and once lowering it. Such a fact is named after its first group.
func byFact(x, per []float64, scale float64) []triage.RiskFactor {
	var out []triage.RiskFactor
	at := map[string]int{}
	for j, v := range per {
		words := features.Explain(x, j)
		k, ok := at[words]
		if !ok {
			k = len(out)
			at[words] = k
			out = append(out, triage.RiskFactor{Feature: features.Group(j), Words: words})
		}
		out[k].Effect += v * scale
	}
	out = slices.DeleteFunc(out, func(c triage.RiskFactor) bool { return math.Abs(c.Effect) < 1e-9 })
	for k := range out {
		out[k].Words += direction(out[k].Effect)
	}
	slices.SortStableFunc(out, func(a, b triage.RiskFactor) int { return cmp.Compare(math.Abs(b.Effect), math.Abs(a.Effect)) })
	return out
}

func direction(effect float64) string {
	if effect > 0 {
		return " (raises the risk)"
	}
	return " (lowers the risk)"
}

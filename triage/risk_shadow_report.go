package triage

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
)

// ModelShadowReport compares a shadow risk model with the active one on
// the decisions it scored: how far their scores are apart, how often the
// outcome would change, and, on the invoices whose payment outcome is
// known, each one's Brier score and AUC with 95% bootstrap intervals over
// the same invoices.
type ModelShadowReport struct {
	Shadow ModelShadow `json:"shadow"`
	// Scored counts the decisions reported on: all the shadow scored, or
	// its newest MaxModelShadowScores when Limited.
	Scored  int  `json:"scored"`
	Limited bool `json:"limited"`
	// MeanAbsDiff is the mean |candidate - active| score.
	MeanAbsDiff float64 `json:"mean_abs_diff"`
	// OutcomeChanged counts the decisions whose outcome or queue the
	// candidate would change; ChangedShare is its share with a Wilson
	// interval.
	OutcomeChanged int     `json:"outcome_changed"`
	ChangedShare   float64 `json:"changed_share"`
	ChangedLow     float64 `json:"changed_low"`
	ChangedHigh    float64 `json:"changed_high"`
	// Known is how many scored decisions' invoices have a known outcome,
	// Late how many of those were late.
	Known     int          `json:"known"`
	Late      int          `json:"late"`
	Active    ModelScoreCI `json:"active"`
	Candidate ModelScoreCI `json:"candidate"`
	// BrierDiff is candidate minus active Brier (negative: the candidate
	// is better), with its paired bootstrap interval.
	BrierDiff *Interval `json:"brier_diff"`
	// Changes lists the decisions whose outcome would change, newest
	// first, at most MaxShadowDisagreements.
	Changes []ModelShadowScore `json:"changes"`
}

// ModelScoreCI is one model's accuracy on the known outcomes; nil when
// there are none (AUC also when they are all late or all on time).
type ModelScoreCI struct {
	Version string    `json:"version"`
	Brier   *Interval `json:"brier"`
	AUC     *Interval `json:"auc"`
}

// Interval is an estimate with its 95% interval.
type Interval struct {
	Value float64 `json:"value"`
	Low   float64 `json:"low"`
	High  float64 `json:"high"`
}

// MaxModelShadowScores bounds the scores a report reads (the newest), so
// that its bootstrap stays within a request's time; Limited says when a
// shadow has more.
const MaxModelShadowScores = 20000

// BootstrapResamples is how many resamples the report's intervals take;
// the seed is fixed so that a report is reproducible.
const BootstrapResamples = 1000

// ModelShadowReport reports on the risk-model shadow id, or on the running
// one when id is 0 (ENOTFOUND when none runs); admins and analysts may
// read it.
func (s *Service) ModelShadowReport(ctx context.Context, p Principal, id int64) (ModelShadowReport, error) {
	if !p.CanReadAll() {
		return ModelShadowReport{}, Authorize(false, p, "read the risk model's shadow")
	}
	if s.modelShadows == nil {
		return ModelShadowReport{}, Errorf(EUNAVAILABLE, "no model registry is configured")
	}
	if id == 0 {
		sh, err := s.modelShadows.RunningModelShadow(ctx)
		if err != nil {
			return ModelShadowReport{}, err
		}
		id = sh.ID
	}
	return s.modelShadowReport(ctx, id)
}

func (s *Service) modelShadowReport(ctx context.Context, id int64) (ModelShadowReport, error) {
	sh, err := s.modelShadows.ModelShadow(ctx, id)
	if err != nil {
		return ModelShadowReport{}, err
	}
	scores, err := s.modelShadows.ModelShadowScores(ctx, id, s.now().UTC(), MaxModelShadowScores+1)
	if err != nil {
		return ModelShadowReport{}, err
	}
	limited := len(scores) > MaxModelShadowScores
	if limited {
		scores = scores[:MaxModelShadowScores]
	}
	rep := ModelShadowReport{Shadow: sh, Scored: len(scores), Limited: limited, Changes: []ModelShadowScore{},
		Active: ModelScoreCI{Version: sh.ActiveVersion}, Candidate: ModelScoreCI{Version: sh.Version}}
	var act, cand []float64
	var late []bool
	diff := 0.0
	for _, sc := range scores {
		diff += math.Abs(sc.CandidateScore - sc.ActiveScore)
		if sc.Changed() {
			rep.OutcomeChanged++
			if len(rep.Changes) < MaxShadowDisagreements {
				rep.Changes = append(rep.Changes, sc)
			}
		}
		if sc.Known {
			act, cand, late = append(act, sc.ActiveScore), append(cand, sc.CandidateScore), append(late, sc.Late)
			rep.Late += b2i(sc.Late)
		}
	}
	if rep.Scored > 0 {
		rep.MeanAbsDiff = diff / float64(rep.Scored)
	}
	rep.ChangedShare = share(rep.OutcomeChanged, rep.Scored)
	rep.ChangedLow, rep.ChangedHigh = Wilson(rep.OutcomeChanged, rep.Scored, 1.959964)
	rep.Known = len(late)
	rep.Active.Brier, rep.Candidate.Brier, rep.BrierDiff, rep.Active.AUC, rep.Candidate.AUC = pairedBootstrap(act, cand, late)
	return rep, nil
}

// pairedBootstrap estimates both models' Brier scores, their difference
// and their AUCs, each with the 2.5th and 97.5th percentiles over
// resamples of the same invoices for both.
func pairedBootstrap(a, c []float64, y []bool) (ba, bc, diff, aa, ac *Interval) {
	if len(y) == 0 {
		return nil, nil, nil, nil, nil
	}
	stats := func(idx []int) [5]float64 {
		pa, pc, yy := pick(a, idx), pick(c, idx), pick(y, idx)
		b1, b2 := Brier(pa, yy), Brier(pc, yy)
		return [5]float64{b1, b2, b2 - b1, AUC(pa, yy), AUC(pc, yy)}
	}
	all := make([]int, len(y))
	for i := range all {
		all[i] = i
	}
	point := stats(all)
	rng := rand.New(rand.NewPCG(19, 41))
	var samples [5][]float64
	idx := make([]int, len(y))
	for range BootstrapResamples {
		for i := range idx {
			idx[i] = rng.IntN(len(y))
		}
		st := stats(idx)
		for k, v := range st {
			if !math.IsNaN(v) {
				samples[k] = append(samples[k], v)
			}
		}
	}
	var out [5]*Interval
	for k := range out {
		if math.IsNaN(point[k]) || len(samples[k]) == 0 {
			continue
		}
		slices.Sort(samples[k])
		n := len(samples[k])
		out[k] = &Interval{Value: point[k], Low: samples[k][int(0.025*float64(n-1))], High: samples[k][int(math.Ceil(0.975*float64(n-1)))]}
	}
	return out[0], out[1], out[2], out[3], out[4]
}

func pick[T any](xs []T, idx []int) []T {
	out := make([]T, len(idx))
	for i, j := range idx {
		out[i] = xs[j]
	}
	return out
}

// Brier is the mean squared error of the probabilities p against the
// outcomes y; NaN with none.
func Brier(p []float64, y []bool) float64 {
	if len(p) == 0 {
		return math.NaN()
	}
	sum := 0.0
	for i, v := range p {
		d := v - float64(b2i(y[i]))
		sum += d * d
	}
	return sum / float64(len(p))
}

// AUC is the area under the ROC curve (the Mann-Whitney statistic, ties
// counting half); NaN when either class is missing.
func AUC(p []float64, y []bool) float64 {
	idx := make([]int, len(p))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(i, j int) bool { return p[idx[i]] < p[idx[j]] })
	var pos, neg int
	rankSum := 0.0
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && p[idx[j]] == p[idx[i]] {
			j++
		}
		rank := float64(i+j+1) / 2 // mean of the 1-based ranks i+1..j
		for k := i; k < j; k++ {
			if y[idx[k]] {
				pos++
				rankSum += rank
			} else {
				neg++
			}
		}
		i = j
	}
	if pos == 0 || neg == 0 {
		return math.NaN()
	}
	return (rankSum - float64(pos*(pos+1))/2) / float64(pos*neg)
}

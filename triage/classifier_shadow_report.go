package triage

import "context"

// ClassifierShadowReport compares a shadow classifier with the one in use
// on the decisions it predicted for: how often they agree, how often the
// outcome would change, and, on the items people have since resolved,
// each one's precision on the same items with 95% Wilson intervals.
type ClassifierShadowReport struct {
	Shadow ClassifierShadow `json:"shadow"`
	// Predicted counts the decisions reported on: all of them, or the
	// newest MaxClassifierShadowPredictions when Limited.
	Predicted int  `json:"predicted"`
	Limited   bool `json:"limited"`
	// Agreed counts the same root cause and action; Agreement its share.
	Agreed         int     `json:"agreed"`
	Agreement      float64 `json:"agreement"`
	AgreementLow   float64 `json:"agreement_low"`
	AgreementHigh  float64 `json:"agreement_high"`
	OutcomeChanged int     `json:"outcome_changed"`
	ChangedShare   float64 `json:"changed_share"`
	ChangedLow     float64 `json:"changed_low"`
	ChangedHigh    float64 `json:"changed_high"`
	// Judged counts the items a person has resolved since.
	Judged    int             `json:"judged"`
	Active    ShadowPrecision `json:"active"`
	Candidate ShadowPrecision `json:"candidate"`
	// Disagreements lists the decisions where the suggestions differ,
	// newest first, at most MaxShadowDisagreements.
	Disagreements []ClassifierShadowPrediction `json:"disagreements"`
}

// ShadowPrecision is one version's precision on the judged items: right
// when its suggested root cause and action equal the person's. Precision
// and its interval are nil with nothing judged.
type ShadowPrecision struct {
	Right     int      `json:"right"`
	Judged    int      `json:"judged"`
	Precision *float64 `json:"precision"`
	Low       *float64 `json:"low"`
	High      *float64 `json:"high"`
}

func (c *ShadowPrecision) finish() {
	if c.Judged == 0 {
		return
	}
	p := float64(c.Right) / float64(c.Judged)
	lo, hi := Wilson(c.Right, c.Judged, 1.959964)
	c.Precision, c.Low, c.High = &p, &lo, &hi
}

// MaxClassifierShadowPredictions bounds the predictions a report reads.
const MaxClassifierShadowPredictions = 20000

// ClassifierShadowReport reports on the classifier shadow id, or on the
// running one when id is 0; admins and analysts may read it.
func (s *Service) ClassifierShadowReport(ctx context.Context, p Principal, id int64) (ClassifierShadowReport, error) {
	if !p.CanReadAll() {
		return ClassifierShadowReport{}, Authorize(false, p, "read the classifier's shadow")
	}
	if s.clfShadows == nil {
		return ClassifierShadowReport{}, Errorf(EUNAVAILABLE, "no classifier registry is configured")
	}
	if id == 0 {
		sh, err := s.clfShadows.RunningClassifierShadow(ctx)
		if err != nil {
			return ClassifierShadowReport{}, err
		}
		id = sh.ID
	}
	return s.classifierShadowReport(ctx, id)
}

func (s *Service) classifierShadowReport(ctx context.Context, id int64) (ClassifierShadowReport, error) {
	sh, err := s.clfShadows.ClassifierShadow(ctx, id)
	if err != nil {
		return ClassifierShadowReport{}, err
	}
	ps, err := s.clfShadows.ClassifierShadowPredictions(ctx, id, MaxClassifierShadowPredictions+1)
	if err != nil {
		return ClassifierShadowReport{}, err
	}
	rep := ClassifierShadowReport{Shadow: sh, Limited: len(ps) > MaxClassifierShadowPredictions, Disagreements: []ClassifierShadowPrediction{}}
	if rep.Limited {
		ps = ps[:MaxClassifierShadowPredictions]
	}
	rep.Predicted = len(ps)
	for _, pr := range ps {
		if pr.Agrees() {
			rep.Agreed++
		} else if len(rep.Disagreements) < MaxShadowDisagreements {
			rep.Disagreements = append(rep.Disagreements, pr)
		}
		rep.OutcomeChanged += b2i(pr.Changed())
		if !pr.Judged {
			continue
		}
		rep.Judged++
		rep.Active.Judged++
		rep.Candidate.Judged++
		rep.Active.Right += b2i(pr.ActiveRootCause == pr.RootCause && pr.ActiveAction == pr.Action)
		rep.Candidate.Right += b2i(pr.CandidateRootCause == pr.RootCause && pr.CandidateAction == pr.Action)
	}
	rep.Agreement = share(rep.Agreed, rep.Predicted)
	rep.AgreementLow, rep.AgreementHigh = Wilson(rep.Agreed, rep.Predicted, 1.959964)
	rep.ChangedShare = share(rep.OutcomeChanged, rep.Predicted)
	rep.ChangedLow, rep.ChangedHigh = Wilson(rep.OutcomeChanged, rep.Predicted, 1.959964)
	rep.Active.finish()
	rep.Candidate.finish()
	return rep, nil
}

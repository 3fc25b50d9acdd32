package triage

import "context"

// ShadowReport compares a shadow with the active policy on the decisions
// it saw: how often they agree, and each one's precision on the items
// people have since judged, with a 95% Wilson interval.
type ShadowReport struct {
	Shadow Shadow `json:"shadow"`
	// Decisions is how many live decisions the shadow saw.
	Decisions int     `json:"decisions"`
	Agree     int     `json:"agree"`
	Agreement float64 `json:"agreement"`
	// Active is the policy that decided each item; Candidate the shadow.
	Active    PrecisionCI        `json:"active"`
	Candidate PrecisionCI        `json:"candidate"`
	Types     []ShadowTypeReport `json:"types"`
	// Disagreements lists the items the two decide differently, newest
	// first, at most MaxShadowDisagreements.
	Disagreements []ShadowDecision `json:"disagreements"`
}

// ShadowTypeReport is the report for one type.
type ShadowTypeReport struct {
	Type      Type        `json:"type"`
	Decisions int         `json:"decisions"`
	Agree     int         `json:"agree"`
	Active    PrecisionCI `json:"active"`
	Candidate PrecisionCI `json:"candidate"`
}

// PrecisionCI is a policy's automation on the shadow's items: how many it
// automates, how many of those people judged and found right, and the
// precision with its 95% Wilson interval (nil when none was judged).
type PrecisionCI struct {
	Auto      int      `json:"auto"`
	Judged    int      `json:"judged"`
	Right     int      `json:"right"`
	Precision *float64 `json:"precision"`
	Low       *float64 `json:"low"`
	High      *float64 `json:"high"`
}

// MaxShadowDisagreements is how many disagreements a report lists.
const MaxShadowDisagreements = 200

// ShadowReport reports on the shadow id, or on the running one when id is
// 0 (ENOTFOUND when none runs); admins and analysts may read it.
func (s *Service) ShadowReport(ctx context.Context, p Principal, id int64) (ShadowReport, error) {
	if err := s.mayReadGovernance(p); err != nil {
		return ShadowReport{}, err
	}
	if id == 0 {
		sh, err := s.policies.RunningShadow(ctx)
		if err != nil {
			return ShadowReport{}, err
		}
		id = sh.ID
	}
	return s.shadowReport(ctx, id)
}

func (s *Service) shadowReport(ctx context.Context, id int64) (ShadowReport, error) {
	sh, err := s.policies.Shadow(ctx, id)
	if err != nil {
		return ShadowReport{}, err
	}
	ds, err := s.policies.ShadowDecisions(ctx, id)
	if err != nil {
		return ShadowReport{}, err
	}
	rep := ShadowReport{Shadow: sh, Disagreements: []ShadowDecision{}, Types: []ShadowTypeReport{}}
	byType := map[Type]*ShadowTypeReport{}
	for _, d := range ds {
		row := byType[d.Type]
		if row == nil {
			row = &ShadowTypeReport{Type: d.Type}
			byType[d.Type] = row
		}
		row.Decisions++
		if d.Agrees() {
			row.Agree++
		} else if len(rep.Disagreements) < MaxShadowDisagreements {
			rep.Disagreements = append(rep.Disagreements, d)
		}
		s := Suggestion{RootCause: d.RootCause, Action: d.Action}
		count(&row.Active, d.ActiveOutcome == OutcomeAuto, d.Judgement, s)
		count(&row.Candidate, d.ShadowOutcome == OutcomeAuto, d.Judgement, s)
	}
	for _, t := range sortedTypes(byType) {
		row := byType[t]
		wilsonInto(&row.Active)
		wilsonInto(&row.Candidate)
		rep.Types = append(rep.Types, *row)
		rep.Decisions += row.Decisions
		rep.Agree += row.Agree
		sumCI(&rep.Active, row.Active)
		sumCI(&rep.Candidate, row.Candidate)
	}
	rep.Agreement = share(rep.Agree, rep.Decisions)
	wilsonInto(&rep.Active)
	wilsonInto(&rep.Candidate)
	return rep, nil
}

func count(c *PrecisionCI, auto bool, j Judgement, s Suggestion) {
	if !auto {
		return
	}
	c.Auto++
	if j.Judged() {
		c.Judged++
		c.Right += b2i(j.Right(s))
	}
}

func sumCI(total *PrecisionCI, row PrecisionCI) {
	total.Auto += row.Auto
	total.Judged += row.Judged
	total.Right += row.Right
}

func wilsonInto(c *PrecisionCI) {
	if c.Judged == 0 {
		c.Precision, c.Low, c.High = nil, nil, nil
		return
	}
	p := float64(c.Right) / float64(c.Judged)
	lo, hi := Wilson(c.Right, c.Judged, 1.959964)
	c.Precision, c.Low, c.High = &p, &lo, &hi
}

// Wilson returns the Wilson score interval of k successes in n trials at
// z standard errors (1.96 for 95%): unlike the normal approximation it
// stays within [0, 1] and is sensible for few trials or a share near 1,
// which is where automation's precision lives.
func Wilson(k, n int, z float64) (lo, hi float64) {
	if n == 0 {
		return 0, 1
	}
	return wilsonBounds(float64(k), float64(n), z)
}

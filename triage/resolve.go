package triage

import (
	"context"
	"fmt"
)

// Resolve records p's resolution of exception id, if p works its queue.
// The resolution is embedded and joins the history at once, so the next
// similar exception finds it.
func (s *Service) Resolve(ctx context.Context, p Principal, id int64, in ResolutionInput) (Exception, Resolution, error) {
	return s.resolve(ctx, p, id, in, nil)
}

// resolve is Resolve with extra details for the audit row (the pattern a
// resolution was applied through).
func (s *Service) resolve(ctx context.Context, p Principal, id int64, in ResolutionInput, extra map[string]any) (Exception, Resolution, error) {
	ex, err := s.workable(ctx, p, id)
	if err != nil {
		return Exception{}, Resolution{}, err
	}
	if err := in.Validate(); err != nil {
		return Exception{}, Resolution{}, err
	}
	if !ex.Status.Open() {
		return ex, Resolution{}, Errorf(ECONFLICT, "exception %d is %s and cannot be resolved again", id, ex.Status)
	}
	r, err := s.resolution(ctx, ex, in, p.Actor())
	if err != nil {
		return ex, Resolution{}, err
	}
	r.MatchText = s.prepare(ex.Text, ex.Attributes)
	vecs, err := s.embedder.Embed(ctx, []string{r.MatchText})
	if err != nil {
		return ex, Resolution{}, Wrap(EUNAVAILABLE, err, "embedder %s failed", s.embedder.Name())
	}
	r.Vector, r.Embedder = vecs[0], s.embedder.Name()

	ex.Status = StatusResolved
	action := AuditResolved
	if in.Verdict == VerdictReject {
		ex.Status, action = StatusRejected, AuditRejected
	}
	audit := AuditEntry{ExceptionID: id, At: r.ResolvedAt, Actor: r.ResolvedBy, Action: action,
		Detail: map[string]any{"verdict": in.Verdict, "root_cause": r.RootCause, "action": r.Action, "queue": r.Queue, "note": in.Note}}
	for k, v := range extra {
		audit.Detail[k] = v
	}
	// The row states the parameters as stored, so an edit's parameters are
	// on record even where they differ from the suggestion's.
	if len(r.Params) > 0 {
		audit.Detail["params"] = r.Params
	}
	saved, err := s.store.SaveResolution(ctx, ex, r, audit, resolutionEvent(ex, r))
	if err == nil {
		s.shapes.forget(s.staleShapes(ex, saved.Corrections)...)
		s.params.drop(young, saved.Action)
		s.words.drop(youngWords, string(saved.Type))
		s.dropPriors(saved.Corrections)
		s.obs.Resolved(ex, saved)
		s.observe(ctx, map[Type]int{saved.Type: 1})
		s.afterVerdict(ctx, ex.Type)
	}
	return ex, saved, err
}

// resolution builds the history record for in: an accepted suggestion
// takes the latest decision's root cause, action and parameters.
func (s *Service) resolution(ctx context.Context, ex Exception, in ResolutionInput, by string) (Resolution, error) {
	r := Resolution{ExceptionID: &ex.ID, ExternalID: ex.ExternalID, Type: ex.Type, Text: ex.Text,
		RootCause: in.RootCause, Action: in.Action, Params: in.Params, Queue: in.Queue, Verdict: in.Verdict,
		ResolvedBy: by, Note: in.Note, OccurredAt: ex.OccurredAt, ResolvedAt: s.now().UTC()}
	facts := ex.Facts()
	r.Facts = &facts
	if r.Queue == "" {
		r.Queue = ex.Queue
	}
	cs, err := CorrectionsFromParams(in.Params)
	if err != nil {
		return r, err
	}
	r.Corrections = cs
	switch in.Verdict {
	case VerdictAccept:
		d, err := s.store.LatestDecision(ctx, ex.ID)
		if err != nil || d.RootCause == "" {
			return r, Invalid("verdict", "exception %d has no suggestion to accept; use edit", ex.ID)
		}
		r.RootCause, r.Action, r.Params = d.RootCause, d.Action, d.Params
		if r.Corrections == nil {
			// Accepting confirms the corrections enrichment applied.
			r.Corrections = confirmations(d.Enrichments)
		}
		r.Params = withParamsCorrections(r.Params, r.Corrections)
	case VerdictReject:
		if r.RootCause == "" {
			r.RootCause = RootCauseNotActionable
		}
		if r.Action == "" {
			r.Action = ActionCloseNoAction
		}
	}
	return r, nil
}

func confirmations(es []Enrichment) []Correction {
	var out []Correction
	for _, a := range appliedCorrections(es) {
		out = append(out, Correction{Field: a.Field, Key: a.Key, From: a.Before, To: a.After})
	}
	return out
}

// withParamsCorrections writes cs into params, so the history row shows
// the corrections it is evidence for.
func withParamsCorrections(params map[string]any, cs []Correction) map[string]any {
	if len(cs) == 0 {
		return params
	}
	out := cloneMap(params)
	if out == nil {
		out = map[string]any{}
	}
	list := make([]any, len(cs))
	for i, c := range cs {
		list[i] = map[string]any{"field": c.Field, "key": c.Key, "from": c.From, "to": c.To}
	}
	out["corrections"] = list
	return out
}

// ItemError names the item i of a batch of n an error concerns, e.g.
// "exceptions[3].type", so a client can find the bad record; a batch of
// one is named by the field alone.
func ItemError(err error, i, n int) error {
	if n == 1 {
		return err
	}
	return NameItem(err, i)
}

// NameItem names item i of a batch in err's field, whatever the batch's
// size: a client that sent a list gets the item named even in a list of
// one.
func NameItem(err error, i int) error {
	e, ok := err.(*Error)
	if !ok {
		return err
	}
	c := *e
	c.Field = fmt.Sprintf("exceptions[%d]", i)
	if e.Field != "" {
		c.Field += "." + e.Field
	}
	return &c
}

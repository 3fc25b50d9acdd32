package triage

import (
	"context"
	"fmt"
)

// PatternResolution is one reviewed resolution a person applies to every
// open member of a pattern ("resolve all like this").
type PatternResolution struct {
	RootCause string         `json:"root_cause"`
	Action    string         `json:"action"`
	Params    map[string]any `json:"params,omitempty"`
	Note      string         `json:"note,omitempty"`
	// DryRun says what would happen to each item without changing any.
	DryRun bool `json:"dry_run,omitempty"`
}

func (r PatternResolution) validate(pol *Policy) error {
	in := ResolutionInput{Verdict: VerdictEdit, RootCause: r.RootCause, Action: r.Action, Params: r.Params, Note: r.Note}
	if err := in.Validate(); err != nil {
		return err
	}
	// Checked once here, so bad corrections fail the request rather than
	// every item alike.
	if _, err := CorrectionsFromParams(r.Params); err != nil {
		return err
	}
	if pol.HumanOnly(r.Action) {
		return Invalid("action", "%s moves money: each item needs its own approval, so resolve them one at a time", r.Action)
	}
	return nil
}

// ResolvePattern applies one reviewed resolution to the open members of
// pattern id that p works, at most MaxBulkItems of them (the oldest
// first; a second call takes the rest). Each item goes through Resolve,
// so it passes the same permission, status and input checks as alone and
// is changed in its own transaction; an item whose own suggestion already
// is this root cause and action is accepted with its own parameters when
// the reviewer names none, any other is resolved as an edit. Each item's
// audit row names the pattern. A money-moving action is refused for the
// whole pattern: it needs a person's approval item by item.
func (s *Service) ResolvePattern(ctx context.Context, p Principal, id string, req PatternResolution) ([]BulkItem, error) {
	if err := canBulk(p); err != nil {
		return nil, err
	}
	if err := req.validate(s.Policy()); err != nil {
		return nil, err
	}
	pat, err := s.Pattern(ctx, p, id)
	if err != nil {
		return nil, err
	}
	var out []BulkItem
	for _, m := range pat.Members {
		if m.ExceptionID == 0 || !m.Status.Open() || !p.CanWork(m.Queue) {
			continue
		}
		if len(out) == MaxBulkItems {
			break
		}
		if err := ctx.Err(); err != nil {
			out = append(out, BulkItem{ID: m.ExceptionID}.failed(Wrap(EUNAVAILABLE, err, "the request ended before exception %d", m.ExceptionID)))
			continue
		}
		out = append(out, s.resolveMember(ctx, p, pat.ID, m.ExceptionID, req))
	}
	return out, nil
}

// resolveMember plans or applies the reviewed resolution to one item.
func (s *Service) resolveMember(ctx context.Context, p Principal, patternID string, id int64, req PatternResolution) BulkItem {
	it := BulkItem{ID: id}
	in := ResolutionInput{Verdict: VerdictEdit, RootCause: req.RootCause, Action: req.Action, Params: req.Params, Note: req.Note}
	if req.Params == nil {
		if d, err := s.store.LatestDecision(ctx, id); err == nil && d.RootCause == req.RootCause && d.Action == req.Action {
			in = ResolutionInput{Verdict: VerdictAccept, Note: req.Note}
		}
	}
	if req.DryRun {
		ex, err := s.workable(ctx, p, id)
		if err != nil {
			return it.failed(err)
		}
		it.Exception = &ex
		if !ex.Status.Open() {
			return it.failed(Errorf(ECONFLICT, "exception %d is %s and takes no more actions", id, ex.Status))
		}
		it.OK, it.RootCause, it.Action, it.Params = true, req.RootCause, req.Action, req.Params
		it.Summary = fmt.Sprintf("Resolve as %s with %s (%s)", req.RootCause, req.Action, in.Verdict)
		return it
	}
	ex, r, err := s.resolve(ctx, p, id, in, map[string]any{"pattern": patternID})
	if err != nil {
		s.logInternal(BulkRequest{Op: "pattern"}, id, err)
		return it.with(ex).failed(err)
	}
	it.OK, it.Exception, it.RootCause, it.Action, it.Params = true, &ex, r.RootCause, r.Action, r.Params
	it.Summary = "Resolved as " + r.RootCause + " with " + r.Action + " (pattern " + patternID + ")"
	return it
}

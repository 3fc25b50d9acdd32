package eval

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// pending is a test case's resolution waiting for its time to come.
type pending struct {
	at          time.Time
	line        int
	exceptionID int64
	in          triage.ResolutionInput
	kind        feedbackKind
}

// feedbackKind is how the replay recorded a label as a person's
// resolution; run.resolutions counts them.
type feedbackKind int

const (
	// fedAccept: the suggestion was right, parameters included; accepted.
	fedAccept feedbackKind = iota
	// fedEditParams: root cause and action were right but a parameter the
	// label states was not: an edit to the suggested root cause and action
	// with the label's parameters (see schedule).
	fedEditParams
	// fedEdit: the root cause or the action was wrong; edited to the label.
	fedEdit
)

// replayer triages the test part one case at a time, in time order, and
// resolves each labelled case when its label says it was resolved.
type replayer struct {
	cfg      *Config
	pending  []pending
	cases    []Case
	problems []Problem
	counts   ResolutionCounts
}

func (r *replayer) run(ctx context.Context, test []Item) error {
	for i, it := range test {
		if err := r.resolveUntil(ctx, it.Record.OccurredAt); err != nil {
			return err
		}
		if err := r.triage(ctx, it); err != nil {
			return err
		}
		switch {
		case r.cfg.Step != nil:
			r.cfg.Step(i+1, len(test))
		case (i+1)%500 == 0:
			r.cfg.progress("eval: %d/%d test cases triaged", i+1, len(test))
		}
	}
	return nil
}

// evalJob is who the replay acts as: the service's own eval job.
var evalJob = triage.System("eval")

// triage submits one exception through the service's own entry point,
// timing the call, and records the outcome.
func (r *replayer) triage(ctx context.Context, it Item) error {
	svc := r.cfg.Service
	r.cfg.Clock.Set(it.Record.OccurredAt)
	start := time.Now()
	subs, err := svc.Submit(ctx, evalJob, []triage.Exception{it.Record.Exception()})
	latency := time.Since(start)
	if triage.ErrorCode(err) == triage.EINVALID {
		r.problems = append(r.problems, Problem{it.Line, "rejected by the service, not scored: " + triage.ErrorMessage(err)})
		return nil
	}
	if err != nil {
		return fmt.Errorf("eval: line %d: %w", it.Line, err)
	}
	sub := subs[0]
	c := newCase(it, sub.Decision, svc.Policy(), latency)
	r.cases = append(r.cases, c)
	if c.Labelled && !r.cfg.NoFeedback {
		r.schedule(it, sub.Exception.ID, c)
	}
	return nil
}

// schedule queues the label as the person's resolution: accepted when the
// suggestion matched it, parameters included; otherwise edited to it.
//
// An accept records the decision's own parameters (only corrections can be
// passed with it), so a suggestion whose root cause and action were right
// but whose parameters were not is recorded as an edit to that root cause
// and action with the label's parameters: the history then holds what was
// really applied, and the label's corrections join the corrections memory
// as they would in production, where the person fixes the parameters
// before resolving. A label with a reversed correction is likewise passed
// whole, so the reversal is recorded. Case.Correct keeps meaning "root
// cause and action right" either way; run.resolutions tells the two apart.
func (r *replayer) schedule(it Item, exceptionID int64, c Case) {
	res := it.Record.Resolution
	in := triage.ResolutionInput{Verdict: triage.VerdictEdit, RootCause: res.RootCause, Action: res.Action,
		Params: res.Params, Queue: triage.Queue(res.Queue)}
	kind := fedEdit
	switch {
	case c.Correct() && c.ParamsCorrect() && !hasReversal(res.Params):
		in, kind = triage.ResolutionInput{Verdict: triage.VerdictAccept}, fedAccept
	case c.Correct():
		// The label's root cause and action are the suggestion's here.
		in.RootCause, in.Action, kind = c.RootCause, c.Action, fedEditParams
	}
	r.pending = append(r.pending, pending{at: it.Record.ResolvedAt(), line: it.Line, exceptionID: exceptionID, in: in, kind: kind})
}

// hasReversal reports whether params carry a correction later found wrong.
func hasReversal(params map[string]any) bool {
	cs, _ := triage.CorrectionsFromParams(params)
	for _, c := range cs {
		if c.ReversedAt != nil {
			return true
		}
	}
	return false
}

// resolveUntil applies the resolutions made by time t, oldest first, so a
// case sees exactly the resolutions that existed when it occurred.
func (r *replayer) resolveUntil(ctx context.Context, t time.Time) error {
	sort.SliceStable(r.pending, func(i, j int) bool {
		if !r.pending[i].at.Equal(r.pending[j].at) {
			return r.pending[i].at.Before(r.pending[j].at)
		}
		return r.pending[i].line < r.pending[j].line
	})
	n := 0
	for ; n < len(r.pending) && !r.pending[n].at.After(t); n++ {
		p := r.pending[n]
		r.cfg.Clock.Set(p.at)
		_, _, err := r.cfg.Service.Resolve(ctx, evalJob, p.exceptionID, p.in)
		if triage.ErrorCode(err) == triage.EINVALID {
			r.problems = append(r.problems, Problem{p.line, "label refused as a resolution, not fed back: " + triage.ErrorMessage(err)})
			r.counts.Refused++
			continue
		}
		if err != nil {
			return fmt.Errorf("eval: resolve line %d: %w", p.line, err)
		}
		switch p.kind {
		case fedAccept:
			r.counts.Accepted++
		case fedEditParams:
			r.counts.EditedParams++
		default:
			r.counts.Edited++
		}
	}
	r.pending = r.pending[n:]
	return nil
}

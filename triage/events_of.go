package triage

import "fmt"

// decisionEvent says what a decision did: enriched the exception
// automatically, or queued it for a person.
func decisionEvent(ex Exception, d Decision) Event {
	t := EventQueued
	if d.Outcome == OutcomeAuto {
		t = EventAutoEnriched
	}
	return newEvent(t, d.DecidedAt, EventData{Exception: ex, RootCause: d.RootCause, Action: d.Action,
		Params: d.Params, ParamsFrom: paramsFrom(d), Queue: ex.Queue, Actor: SystemActor,
		PolicyVersion: d.PolicyVersion, ModelVersion: d.ModelVersion})
}

// paramsFrom names the precedent a suggestion's parameters were copied
// from: the closest one resolved the same way.
func paramsFrom(d Decision) string {
	for _, n := range d.Neighbors {
		if n.RootCause == d.RootCause && n.Action == d.Action {
			return fmt.Sprintf("precedent:%d", n.ResolutionID)
		}
	}
	return ""
}

// resolutionEvent says what a person decided.
func resolutionEvent(ex Exception, r Resolution) Event {
	t, from := EventResolved, "person:"+r.ResolvedBy
	if r.Verdict == VerdictReject {
		t = EventRejected
	}
	if r.Verdict == VerdictAccept {
		from = "suggestion accepted by " + r.ResolvedBy
	}
	return newEvent(t, r.ResolvedAt, EventData{Exception: ex, RootCause: r.RootCause, Action: r.Action,
		Params: r.Params, ParamsFrom: from, Queue: r.Queue, Actor: r.ResolvedBy, Note: r.Note})
}

// changeEvent says an exception moved: reverted to a person, or
// reassigned to another queue.
func changeEvent(t EventType, ex Exception, audit AuditEntry, note string) Event {
	return newEvent(t, audit.At, EventData{Exception: ex, Queue: ex.Queue, Actor: audit.Actor, Note: note})
}

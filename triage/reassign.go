package triage

import "context"

// AuditReassigned records a move to another queue.
const AuditReassigned = "reassigned"

// Reassign moves an open exception to another queue, if p works its
// current one: for example when a support agent finds a dispute is really
// a tax question.
func (s *Service) Reassign(ctx context.Context, p Principal, id int64, to Queue, note string) (Exception, error) {
	ex, err := s.workable(ctx, p, id)
	if err != nil {
		return ex, err
	}
	if !to.Valid() {
		return Exception{}, Invalid("queue", "unknown queue %q", to)
	}
	if !ex.Status.Open() {
		return ex, Errorf(ECONFLICT, "exception %d is %s and cannot be reassigned", id, ex.Status)
	}
	from := ex.Queue
	ex.Queue, ex.Status = to, StatusQueued
	audit := AuditEntry{ExceptionID: id, At: s.now().UTC(), Actor: p.Actor(), Action: AuditReassigned,
		Detail: map[string]any{"from": from, "to": to, "note": note}}
	if to != from && ex.Assignee != "" {
		// The assignee works the old queue; the new team picks its own.
		audit.Detail["assignee_released"] = ex.Assignee
		ex.Assignee = ""
	}
	return ex, s.store.Move(ctx, ex, audit, changeEvent(EventQueued, ex, audit, note))
}

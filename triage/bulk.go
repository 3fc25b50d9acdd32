package triage

import (
	"context"
	"fmt"
)

// BulkOp is what a bulk action does to each item.
type BulkOp string

// Bulk operations: each is the single-item method of the same name applied
// to every item, one at a time.
const (
	BulkAccept   BulkOp = "accept"
	BulkReject   BulkOp = "reject"
	BulkReassign BulkOp = "reassign"
)

// MaxBulkItems bounds one bulk action: a few queue pages, so the
// confirmation page stays readable and one request stays short.
const MaxBulkItems = 200

// BulkRequest asks for one operation on several exceptions.
type BulkRequest struct {
	Op  BulkOp  `json:"op"`
	IDs []int64 `json:"ids"`
	// Queue is the target of a reassignment.
	Queue Queue  `json:"queue,omitempty"`
	Note  string `json:"note,omitempty"`
}

// BulkItem is what a bulk action will do, or did, to one exception.
type BulkItem struct {
	ID int64 `json:"id"`
	// OK says the item passes every check (in a plan) or was changed (in
	// a result); otherwise Error says why not.
	OK bool `json:"ok"`
	// Summary says in words what happens to the item.
	Summary string `json:"summary"`
	// Exception is the item as it stands (after the change, in a result);
	// absent when the caller may not see it.
	Exception *Exception     `json:"exception,omitempty"`
	RootCause string         `json:"root_cause,omitempty"`
	Action    string         `json:"action,omitempty"`
	Params    map[string]any `json:"params,omitempty"`
	Error     *BulkError     `json:"error,omitempty"`
}

// BulkError is why one item of a bulk action was refused: the same code
// and message the single-item call would have answered.
type BulkError struct {
	Code    string `json:"code"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

func (r BulkRequest) validate() error {
	switch r.Op {
	case BulkAccept, BulkReject:
	case BulkReassign:
		if !r.Queue.Valid() {
			return Invalid("queue", "unknown queue %q (want finance, revops, tax or support)", r.Queue)
		}
	default:
		return Invalid("op", "unknown operation %q (want accept, reject or reassign)", r.Op)
	}
	if len(r.IDs) == 0 {
		return Invalid("ids", "name at least one exception")
	}
	if len(r.IDs) > MaxBulkItems {
		return Invalid("ids", "name at most %d exceptions", MaxBulkItems)
	}
	seen := map[int64]bool{}
	for i, id := range r.IDs {
		if id < 1 {
			return Invalid(fmt.Sprintf("ids[%d]", i), "must be a positive integer")
		}
		if seen[id] {
			return Invalid(fmt.Sprintf("ids[%d]", i), "repeats exception %d", id)
		}
		seen[id] = true
	}
	return checkString("note", r.Note, MaxTextBytes)
}

// canBulk is the role check of a bulk action as a whole: a role that works
// no queue is refused before its input is read; each item is then checked
// as its single-item call would check it.
func canBulk(p Principal) error {
	return Authorize(p.Role != RoleAnalyst && len(p.Queues()) > 0, p, "act on items")
}

// PlanBulk says what Bulk would do to each item without changing any, for
// a confirmation: every item passes the same checks as in Bulk, so an item
// the plan refuses would be refused.
func (s *Service) PlanBulk(ctx context.Context, p Principal, req BulkRequest) ([]BulkItem, error) {
	if err := canBulk(p); err != nil {
		return nil, err
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	out := make([]BulkItem, len(req.IDs))
	for i, id := range req.IDs {
		out[i] = s.planOne(ctx, p, req, id)
	}
	return out, nil
}

func (s *Service) planOne(ctx context.Context, p Principal, req BulkRequest, id int64) BulkItem {
	it := BulkItem{ID: id}
	ex, err := s.workable(ctx, p, id)
	if err != nil {
		return it.failed(err)
	}
	it.Exception = &ex
	if !ex.Status.Open() {
		return it.failed(Errorf(ECONFLICT, "exception %d is %s and takes no more actions", id, ex.Status))
	}
	switch req.Op {
	case BulkAccept:
		d, err := s.store.LatestDecision(ctx, id)
		if err != nil || d.RootCause == "" {
			return it.failed(Invalid("verdict", "exception %d has no suggestion to accept; use edit", id))
		}
		it.RootCause, it.Action, it.Params = d.RootCause, d.Action, d.Params
		it.Summary = fmt.Sprintf("Resolve as %s with %s", d.RootCause, d.Action)
	case BulkReject:
		it.RootCause, it.Action = RootCauseNotActionable, ActionCloseNoAction
		it.Summary = "Reject as not actionable"
	case BulkReassign:
		it.Summary = fmt.Sprintf("Move from %s to %s", QueueName(ex.Queue), QueueName(req.Queue))
	}
	it.OK = true
	return it
}

// Bulk applies req to each item in turn through Resolve or Reassign, so
// each passes the policy and the per-object checks and is changed in its
// own transaction: an item is changed wholly or not at all, and one
// refusal does not stop the others. The result lists every item's outcome
// in the order asked.
func (s *Service) Bulk(ctx context.Context, p Principal, req BulkRequest) ([]BulkItem, error) {
	if err := canBulk(p); err != nil {
		return nil, err
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	out := make([]BulkItem, len(req.IDs))
	for i, id := range req.IDs {
		if err := ctx.Err(); err != nil {
			out[i] = BulkItem{ID: id}.failed(Wrap(EUNAVAILABLE, err, "the request ended before exception %d", id))
			continue
		}
		out[i] = s.bulkOne(ctx, p, req, id)
	}
	return out, nil
}

func (s *Service) bulkOne(ctx context.Context, p Principal, req BulkRequest, id int64) BulkItem {
	it := BulkItem{ID: id}
	switch req.Op {
	case BulkAccept, BulkReject:
		v := VerdictAccept
		if req.Op == BulkReject {
			v = VerdictReject
		}
		ex, r, err := s.Resolve(ctx, p, id, ResolutionInput{Verdict: v, Note: req.Note})
		if err != nil {
			s.logInternal(req, id, err)
			return it.with(ex).failed(err)
		}
		it.Exception, it.RootCause, it.Action, it.Params = &ex, r.RootCause, r.Action, r.Params
		it.Summary = "Resolved as " + r.RootCause + " with " + r.Action
		if v == VerdictReject {
			it.Summary = "Rejected as not actionable"
		}
	case BulkReassign:
		ex, err := s.Reassign(ctx, p, id, req.Queue, req.Note)
		if err != nil {
			s.logInternal(req, id, err)
			return it.with(ex).failed(err)
		}
		it.Exception = &ex
		it.Summary = "Moved to " + QueueName(req.Queue)
	}
	it.OK = true
	return it
}

// logInternal logs an item's internal failure: the item itself says only
// "internal error", so the cause must be kept somewhere.
func (s *Service) logInternal(req BulkRequest, id int64, err error) {
	if ErrorCode(err) == EINTERNAL {
		s.log.Error("bulk item failed", "op", req.Op, "exception", id, "err", err)
	}
}

// with sets the item's exception, if the call that failed returned one.
func (it BulkItem) with(ex Exception) BulkItem {
	if ex.ID != 0 {
		it.Exception = &ex
	}
	return it
}

// failed records err on the item; an item the caller may not see is not
// shown, only named by the id the caller sent.
func (it BulkItem) failed(err error) BulkItem {
	it.OK = false
	if c := ErrorCode(err); c == EFORBIDDEN || c == ENOTFOUND {
		it.Exception = nil
	}
	it.Summary = "Refused: " + ErrorMessage(err)
	it.Error = &BulkError{Code: ErrorCode(err), Field: ErrorField(err), Message: ErrorMessage(err)}
	return it
}

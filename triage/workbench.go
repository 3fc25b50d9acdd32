package triage

import (
	"context"
	"strings"
	"time"
	"unicode"
)

// Audit actions of the workbench.
const (
	// AuditAssigned records who works an item: a claim, an assignment by
	// a lead, or a release.
	AuditAssigned = "assigned"
	// AuditCommented records a comment; the comment itself is kept in its
	// own append-only table.
	AuditCommented = "commented"
)

// Limits of the workbench's input.
const (
	// MaxAssigneeBytes bounds a person's name: long enough for any
	// "first.last@team" handle, short enough for a table cell.
	MaxAssigneeBytes = 100
	// MaxCommentBytes bounds a comment: a few paragraphs, not a pasted
	// log dump (the exception's text is where that belongs).
	MaxCommentBytes = 8 << 10
)

// Comment is a person's note on an exception. Comments are history: they
// are appended and never edited or deleted.
type Comment struct {
	ID          int64     `json:"id"`
	ExceptionID int64     `json:"exception_id"`
	At          time.Time `json:"at"`
	Author      string    `json:"author"`
	Body        string    `json:"body"`
}

// WorkbenchStore keeps what people add to an item while they work it and
// reads what the workbench shows beside it.
type WorkbenchStore interface {
	// Assign writes ex.Assignee for an open exception with its audit row
	// and events, atomically; ECONFLICT if the exception was closed, or if
	// its assignee is no longer expect (someone else claimed it first).
	Assign(ctx context.Context, ex Exception, expect string, audit AuditEntry, events ...Event) error
	// AddComment appends c and its audit row in one transaction.
	AddComment(ctx context.Context, c Comment, audit AuditEntry) (Comment, error)
	// Comments returns an exception's comments, oldest first.
	Comments(ctx context.Context, exceptionID int64) ([]Comment, error)
	// ExceptionResolution returns the resolution a person stored for
	// exception id; ENOTFOUND while it has none.
	ExceptionResolution(ctx context.Context, exceptionID int64) (Resolution, error)
	// RelatedItems returns up to limit other exceptions of the customer or
	// the invoice (either may be ""), newest first, with their latest
	// decision's summary.
	RelatedItems(ctx context.Context, customerID, invoiceID string, exclude int64, limit int) ([]QueueItem, error)
	// RelatedInvoices returns up to limit invoices of the customer, and
	// the invoice itself, newest first.
	RelatedInvoices(ctx context.Context, customerID, invoiceID string, limit int) ([]Invoice, error)
	// AutoApplied lists automatic decisions by q, newest first, in the
	// queues q.Queues only.
	AutoApplied(ctx context.Context, q AutoQuery) ([]AutoItem, error)
}

// CanAssign reports whether p may give an item of q to someone else: a
// lead, which today is the admin role. A team member claims for itself.
func (p Principal) CanAssign(q Queue) bool { return p.Role == RoleAdmin && p.CanWork(q) }

// Claim gives exception id to p itself, if p works its queue. Claiming an
// item someone else holds is a conflict: a lead reassigns it instead, so
// two people never work it unknowingly.
func (s *Service) Claim(ctx context.Context, p Principal, id int64) (Exception, error) {
	ex, err := s.workable(ctx, p, id)
	if err != nil {
		return ex, err
	}
	if !ex.Status.Open() {
		return ex, Errorf(ECONFLICT, "exception %d is %s and cannot be claimed", id, ex.Status)
	}
	if ex.Assignee == p.Name {
		return ex, nil
	}
	if ex.Assignee != "" {
		return ex, Errorf(ECONFLICT, "exception %d is already claimed by %s", id, ex.Assignee)
	}
	return s.assign(ctx, p, ex, p.Name, "claim")
}

// Assign gives exception id to the person named to, or releases it when
// to is empty. A lead (CanAssign) may assign anyone; any worker of the
// queue may release an item it holds itself.
func (s *Service) Assign(ctx context.Context, p Principal, id int64, to string) (Exception, error) {
	ex, err := s.workable(ctx, p, id)
	if err != nil {
		return ex, err
	}
	to = strings.TrimSpace(to)
	selfRelease := to == "" && ex.Assignee == p.Name
	if !selfRelease && !p.CanAssign(ex.Queue) {
		return Exception{}, Authorize(false, p, "assign items to others")
	}
	if err := ValidateAssignee(to); err != nil {
		return Exception{}, err
	}
	if !ex.Status.Open() {
		return ex, Errorf(ECONFLICT, "exception %d is %s and cannot be assigned", id, ex.Status)
	}
	if ex.Assignee == to {
		return ex, nil
	}
	how := "assign"
	if to == "" {
		how = "release"
	}
	return s.assign(ctx, p, ex, to, how)
}

func (s *Service) assign(ctx context.Context, p Principal, ex Exception, to, how string) (Exception, error) {
	from := ex.Assignee
	ex.Assignee = to
	audit := AuditEntry{ExceptionID: ex.ID, At: s.now().UTC(), Actor: p.Actor(), Action: AuditAssigned,
		Detail: map[string]any{"from": from, "to": to, "how": how}}
	ev := changeEvent(EventAssigned, ex, audit, "")
	ev.Data.Assignee = to
	return ex, s.store.Assign(ctx, ex, from, audit, ev)
}

// ValidateAssignee checks a person's name: printable, without surrounding
// space, at most MaxAssigneeBytes. "" (nobody) is valid.
func ValidateAssignee(name string) error {
	if err := checkString("assignee", name, MaxAssigneeBytes); err != nil {
		return err
	}
	if strings.TrimSpace(name) != name || strings.IndexFunc(name, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
		return Invalid("assignee", "must be a name of printable characters")
	}
	return nil
}

// AddComment appends p's comment to exception id, if p works its queue:
// a comment is part of working the item, so the read-only analyst and
// other teams may read comments but not add them.
func (s *Service) AddComment(ctx context.Context, p Principal, id int64, body string) (Comment, error) {
	ex, err := s.workable(ctx, p, id)
	if err != nil {
		return Comment{}, err
	}
	body = strings.TrimSpace(body)
	if body == "" {
		return Comment{}, Invalid("body", "is required")
	}
	if err := checkString("body", body, MaxCommentBytes); err != nil {
		return Comment{}, err
	}
	c := Comment{ExceptionID: ex.ID, At: s.now().UTC(), Author: p.Actor(), Body: body}
	// The audit row repeats the body, so the audit log alone tells the
	// whole story; a comment changes no field of the exception, so it
	// produces no event.
	audit := AuditEntry{ExceptionID: ex.ID, At: c.At, Actor: c.Author, Action: AuditCommented,
		Detail: map[string]any{"body": body}}
	return s.store.AddComment(ctx, c, audit)
}

// Comments returns exception id's comments in time order, if p may see
// its queue.
func (s *Service) Comments(ctx context.Context, p Principal, id int64) ([]Comment, error) {
	if _, err := s.visible(ctx, p, id); err != nil {
		return nil, err
	}
	cs, err := s.store.Comments(ctx, id)
	if cs == nil && err == nil {
		cs = []Comment{}
	}
	return cs, err
}

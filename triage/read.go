package triage

import (
	"context"
	"fmt"
)

// Detail is one exception as a reader sees it: the record, its latest
// decision (nil before triage), the resolution a person stored (nil while
// open: after an edit it differs from the decision's suggestion), its
// comments and its audit trail.
type Detail struct {
	Exception  Exception    `json:"exception"`
	Decision   *Decision    `json:"decision,omitempty"`
	Resolution *Resolution  `json:"resolution,omitempty"`
	Comments   []Comment    `json:"comments"`
	Audit      []AuditEntry `json:"audit"`
}

// Queue page sizes: a page holds DefaultQueuePage items unless the caller
// asks for up to MaxQueuePage.
const (
	DefaultQueuePage = 50
	MaxQueuePage     = 500
)

// Exception returns exception id with its latest decision and audit trail,
// if p may see its queue.
func (s *Service) Exception(ctx context.Context, p Principal, id int64) (Detail, error) {
	ex, err := s.visible(ctx, p, id)
	if err != nil {
		return Detail{}, err
	}
	v := Detail{Exception: ex}
	if d, err := s.store.LatestDecision(ctx, id); err == nil {
		v.Decision = &d
	} else if ErrorCode(err) != ENOTFOUND {
		return Detail{}, err
	}
	if !ex.Status.Open() {
		if r, err := s.store.ExceptionResolution(ctx, id); err == nil {
			v.Resolution = &r
		} else if ErrorCode(err) != ENOTFOUND {
			return Detail{}, err
		}
	}
	if v.Comments, err = s.store.Comments(ctx, id); err != nil {
		return Detail{}, err
	}
	if v.Comments == nil {
		v.Comments = []Comment{}
	}
	if v.Audit, err = s.store.Audit(ctx, id); err != nil {
		return Detail{}, err
	}
	return v, nil
}

// Queue returns a page of queue q.Queue in priority order, as of now, if p
// may see that queue. A zero Limit means DefaultQueuePage.
func (s *Service) Queue(ctx context.Context, p Principal, q QueueQuery) (QueuePage, error) {
	if err := q.validate(); err != nil {
		return QueuePage{}, err
	}
	if !p.CanSee(q.Queue) {
		return QueuePage{}, Authorize(false, p, "see the "+QueueName(q.Queue)+" queue")
	}
	page, err := s.store.Queue(ctx, q)
	if err != nil {
		return QueuePage{}, err
	}
	now, pol := s.now(), s.policy.Load()
	for i := range page.Items {
		page.Items[i].Priority = pol.Priority(page.Items[i].SortKey, now)
	}
	if page.Items == nil {
		page.Items = []QueueItem{}
	}
	return page, nil
}

func (q *QueueQuery) validate() error {
	if !q.Queue.Valid() {
		return Invalid("queue", "unknown queue %q (want finance, revops, tax or support)", q.Queue)
	}
	if q.Type != "" && !q.Type.Valid() {
		return Invalid("type", "unknown type %q", q.Type)
	}
	if q.Limit < 0 || q.Limit > MaxQueuePage {
		return Invalid("limit", "must be an integer from 1 to %d", MaxQueuePage)
	}
	if q.Limit == 0 {
		q.Limit = DefaultQueuePage
	}
	return nil
}

// visible loads exception id if p may see its queue. Every read and write
// of one item goes through it or workable, so no caller can forget the
// object-level check.
func (s *Service) visible(ctx context.Context, p Principal, id int64) (Exception, error) {
	ex, err := s.store.Exception(ctx, id)
	if err != nil {
		return Exception{}, err
	}
	if !p.CanSee(ex.Queue) {
		return Exception{}, Authorize(false, p, fmt.Sprintf("see exception %d of the %s queue", id, QueueName(ex.Queue)))
	}
	return ex, nil
}

// workable loads exception id if p may act on its queue.
func (s *Service) workable(ctx context.Context, p Principal, id int64) (Exception, error) {
	ex, err := s.visible(ctx, p, id)
	if err != nil {
		return Exception{}, err
	}
	if !p.CanWork(ex.Queue) {
		return Exception{}, Authorize(false, p, fmt.Sprintf("act on exception %d of the %s queue", id, QueueName(ex.Queue)))
	}
	return ex, nil
}

// queueNames are the queues' names for people.
var queueNames = map[Queue]string{
	QueueFinance: "Finance", QueueRevOps: "Revenue ops", QueueTax: "Tax", QueueSupport: "Support",
}

// QueueName names a queue for people, in messages and pages alike; an
// item not yet routed is in no queue, named "unassigned".
func QueueName(q Queue) string {
	if n, ok := queueNames[q]; ok {
		return n
	}
	if q == "" {
		return "unassigned"
	}
	return string(q)
}

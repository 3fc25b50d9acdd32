package triage

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
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
	if err := q.Validate(); err != nil {
		return QueuePage{}, err
	}
	q.AsOf = s.now()
	if !p.CanSee(q.Queue) {
		return QueuePage{}, Authorize(false, p, "see the "+QueueName(q.Queue)+" queue")
	}
	page, err := s.store.Queue(ctx, q)
	if err != nil {
		return QueuePage{}, err
	}
	now, pol := s.now(), s.policy.Load()
	for i := range page.Items {
		it := &page.Items[i]
		it.Priority = pol.Priority(it.SortKey, now)
		it.QueuedBecause = QueuedBecause(it.Outcome, it.Why)
	}
	if page.Items == nil {
		page.Items = []QueueItem{}
	}
	return page, nil
}

// Bounds on a queue query's free text: a search is a few words, not a
// document, and each word costs the database a trigram match.
const (
	MaxSearchLen   = 200
	MaxSearchWords = 8
)

// Validate checks q and fills its defaults (the page size, priority order).
// Each error names the query parameter at fault, as the JSON API and the
// UI spell it.
func (q *QueueQuery) Validate() error {
	if !q.Queue.Valid() {
		return Invalid("queue", "unknown queue %q (want finance, revops, tax or support)", q.Queue)
	}
	if q.Type != "" && !q.Type.Valid() {
		return Invalid("type", "unknown type %q (want one of %s)", q.Type, joinTypes())
	}
	if q.Limit < 0 || q.Limit > MaxQueuePage {
		return Invalid("limit", "must be an integer from 1 to %d", MaxQueuePage)
	}
	if q.Limit == 0 {
		q.Limit = DefaultQueuePage
	}
	q.Search = strings.TrimSpace(q.Search)
	if len(q.Search) > MaxSearchLen {
		return Invalid("q", "is %d characters long; a search may have at most %d", len(q.Search), MaxSearchLen)
	}
	if n := len(strings.Fields(q.Search)); n > MaxSearchWords {
		return Invalid("q", "has %d words; a search may have at most %d", n, MaxSearchWords)
	}
	q.Customer = strings.TrimSpace(q.Customer)
	if len(q.Customer) > MaxSearchLen {
		return Invalid("customer", "may have at most %d characters", MaxSearchLen)
	}
	if q.Why != "" && !q.Why.Valid() {
		return Invalid("why", "unknown reason %q (want one of %s)", q.Why, joinWhys())
	}
	if err := checkRange("amount", q.MinAmount, q.MaxAmount, math.Inf(-1), math.Inf(1)); err != nil {
		return err
	}
	if err := checkRange("risk", q.MinRisk, q.MaxRisk, 0, 1); err != nil {
		return err
	}
	if err := checkRange("confidence", q.MinConfidence, q.MaxConfidence, 0, 1); err != nil {
		return err
	}
	if q.MinAge < 0 {
		return Invalid("min_age", "must not be negative")
	}
	if q.MaxAge < 0 {
		return Invalid("max_age", "must not be negative")
	}
	if q.MaxAge > 0 && q.MinAge > q.MaxAge {
		return Invalid("min_age", "%s is more than max_age %s", q.MinAge, q.MaxAge)
	}
	if q.Sort == "" {
		// The default: the highest priority first.
		q.Sort, q.Desc = SortPriority, true
	}
	if !slices.Contains(QueueSorts, q.Sort) {
		return Invalid("sort", "cannot sort by %q (want one of %s)", q.Sort, joinSorts())
	}
	return nil
}

// checkRange checks the optional bounds min_<name> and max_<name>: finite,
// within [lo, hi], and in order.
func checkRange(name string, min, max *float64, lo, hi float64) error {
	for _, b := range []struct {
		field string
		v     *float64
	}{{"min_" + name, min}, {"max_" + name, max}} {
		if b.v == nil {
			continue
		}
		if math.IsNaN(*b.v) || math.IsInf(*b.v, 0) {
			return Invalid(b.field, "must be a finite number")
		}
		if *b.v < lo || *b.v > hi {
			return Invalid(b.field, "%g is outside %g to %g", *b.v, lo, hi)
		}
	}
	if min != nil && max != nil && *min > *max {
		return Invalid("min_"+name, "%g is more than max_%s %g", *min, name, *max)
	}
	return nil
}

func joinWhys() string {
	s := make([]string, len(Whys))
	for i, w := range Whys {
		s[i] = string(w)
	}
	return strings.Join(s, ", ")
}

func joinSorts() string {
	s := make([]string, len(QueueSorts))
	for i, v := range QueueSorts {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
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

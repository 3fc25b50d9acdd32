package api

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// navItem is one queue link of the top navigation with its size.
type navItem struct {
	Queue triage.Queue
	Href  string
	Size  int
	// Known is false when the sizes could not be read; the link still
	// works, it just shows no count.
	Known bool
}

// nav lists the queues p may see with their sizes.
func (s *Server) nav(r *http.Request, p triage.Principal) []navItem {
	sizes, err := s.queueStats(r.Context())
	if err != nil {
		s.log.Warn("ui queue sizes", "err", err)
	}
	var items []navItem
	for _, q := range p.Queues() {
		st, ok := sizes[q]
		items = append(items, navItem{Queue: q, Href: "/ui/queues/" + string(q), Size: st.Size, Known: ok})
	}
	return items
}

// queueSizes caches a request's queue sizes: the navigation and the queue
// page both show them, and one query serves both.
type queueSizes struct {
	once  sync.Once
	sizes map[triage.Queue]triage.QueueStat
	err   error
}

type queueSizesKey struct{}

// withQueueSizes gives a request its (empty) cache of queue sizes.
func withQueueSizes(ctx context.Context) context.Context {
	return context.WithValue(ctx, queueSizesKey{}, &queueSizes{})
}

// queueStats returns each queue's size and oldest age, once per request.
func (s *Server) queueStats(ctx context.Context) (map[triage.Queue]triage.QueueStat, error) {
	c, ok := ctx.Value(queueSizesKey{}).(*queueSizes)
	if !ok {
		return s.readQueueStats(ctx)
	}
	c.once.Do(func() { c.sizes, c.err = s.readQueueStats(ctx) })
	return c.sizes, c.err
}

// readQueueStats asks the store. It computes queue sizes with the KPIs;
// the queue part does not depend on the window, so asking for the window
// starting now keeps the other aggregates empty and the query cheap.
func (s *Server) readQueueStats(ctx context.Context) (map[triage.Queue]triage.QueueStat, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	st, err := s.stats.Stats(ctx, s.now())
	if err != nil {
		return nil, err
	}
	out := make(map[triage.Queue]triage.QueueStat, len(st.Queues))
	for _, q := range st.Queues {
		out[q.Queue] = q
	}
	return out, nil
}

// home sends a person to the first queue their role works.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	qs := principal(r).Queues()
	if len(qs) == 0 {
		http.Redirect(w, r, "/ui/dashboard", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/ui/queues/"+string(qs[0]), http.StatusSeeOther)
}

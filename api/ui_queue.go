package api

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/billtriage/billtriage/triage"
)

// queuePageSize is how many items a queue page lists.
const queuePageSize = 50

// queueView is one queue's page.
type queueView struct {
	Queue triage.Queue
	// Type is the type filter, "" for all.
	Type      triage.Type
	Types     []triage.Type
	Rows      []queueRow
	Stat      triage.QueueStat
	StatKnown bool
	NextHref  string
	Paged     bool
	// Moved reports an item just reassigned away from this queue.
	Moved string
	// CanWork shows the bulk bar; Targets are the queues it may move to.
	CanWork bool
	Targets []triage.Queue
}

// queueRow is one item with what the table shows beside it.
type queueRow struct {
	triage.QueueItem
	Age  time.Duration
	Risk riskView
	Href string
}

func (s *Server) queuePage(w http.ResponseWriter, r *http.Request) {
	q := triage.Queue(chi.URLParam(r, "queue"))
	if !q.Valid() {
		s.notFound(w, r)
		return
	}
	query := r.URL.Query()
	v := queueView{Queue: q, Type: triage.Type(query.Get("type")), Types: triage.Types, Paged: query.Get("cursor") != ""}
	page, err := s.svc.Queue(r.Context(), principal(r), triage.QueueQuery{Queue: q, Type: v.Type, Cursor: query.Get("cursor"), Limit: queuePageSize})
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	v.Rows = s.queueRows(page.Items)
	if page.NextCursor != "" {
		v.NextHref = queueHref(q, v.Type, page.NextCursor)
	}
	if stats, err := s.queueStats(r.Context()); err == nil {
		v.Stat, v.StatKnown = stats[q]
	}
	v.Moved = movedNote(query)
	v.CanWork = principal(r).CanWork(q)
	for _, t := range triage.Queues {
		if t != q {
			v.Targets = append(v.Targets, t)
		}
	}
	s.render(w, r, http.StatusOK, "queue", triage.QueueName(q)+" queue", v)
}

// queueRows adds what the table shows beside each item; the service has
// already set each item's priority as of now.
func (s *Server) queueRows(items []triage.QueueItem) []queueRow {
	now := s.now()
	rows := make([]queueRow, len(items))
	for i, it := range items {
		rows[i] = queueRow{QueueItem: it, Age: now.Sub(it.OccurredAt), Risk: riskOfItem(it),
			Href: fmt.Sprintf("/ui/exceptions/%d", it.ID)}
	}
	return rows
}

// queueHref is the address of a queue page, optionally filtered and paged.
func queueHref(q triage.Queue, t triage.Type, cursor string) string {
	v := url.Values{}
	if t != "" {
		v.Set("type", string(t))
	}
	if cursor != "" {
		v.Set("cursor", cursor)
	}
	if len(v) == 0 {
		return "/ui/queues/" + string(q)
	}
	return "/ui/queues/" + string(q) + "?" + v.Encode()
}

// movedNote is the notice after a reassignment, built only from a valid
// id and queue so that no text from the address reaches the page.
func movedNote(query url.Values) string {
	id, err := strconv.ParseInt(query.Get("moved"), 10, 64)
	to := triage.Queue(query.Get("to"))
	if err != nil || id < 1 || !to.Valid() {
		return ""
	}
	return fmt.Sprintf("Exception #%d moved to the %s queue.", id, triage.QueueName(to))
}

package api

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/billtriage/billtriage/triage"
)

func (s *Server) getQueue(w http.ResponseWriter, r *http.Request) {
	q := triage.QueueQuery{Queue: triage.Queue(chi.URLParam(r, "queue")), Cursor: r.URL.Query().Get("cursor")}
	if !q.Queue.Valid() {
		s.fail(w, r, triage.Invalid("queue", "unknown queue %q (want finance, revops, tax or support)", q.Queue))
		return
	}
	if p := principal(r); !p.CanSee(q.Queue) {
		s.fail(w, r, triage.Authorize(false, p, "see the "+string(q.Queue)+" queue"))
		return
	}
	if t := r.URL.Query().Get("type"); t != "" {
		if q.Type = triage.Type(t); !q.Type.Valid() {
			s.fail(w, r, triage.Invalid("type", "unknown type %q", t))
			return
		}
	}
	if l := r.URL.Query().Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 500 {
			s.fail(w, r, triage.Invalid("limit", "must be an integer from 1 to 500"))
			return
		}
		q.Limit = n
	}
	page, err := s.svc.Store().Queue(r.Context(), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.now()
	pol := s.svc.Policy()
	for i := range page.Items {
		page.Items[i].Priority = pol.Priority(page.Items[i].SortKey, now)
	}
	if page.Items == nil {
		page.Items = []triage.QueueItem{}
	}
	writeJSON(w, http.StatusOK, page)
}

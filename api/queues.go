package api

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/billtriage/billtriage/triage"
)

func (s *Server) getQueue(w http.ResponseWriter, r *http.Request) {
	q := triage.QueueQuery{Queue: triage.Queue(chi.URLParam(r, "queue")), Type: triage.Type(r.URL.Query().Get("type")),
		Cursor: r.URL.Query().Get("cursor")}
	if l := r.URL.Query().Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			s.fail(w, r, triage.Invalid("limit", "must be an integer from 1 to %d", triage.MaxQueuePage))
			return
		}
		q.Limit = n
	}
	page, err := s.svc.Queue(r.Context(), principal(r), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, page)
}

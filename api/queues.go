package api

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/billtriage/billtriage/triage"
)

func (s *Server) getQueue(w http.ResponseWriter, r *http.Request) {
	q, err := parseQueueQuery(triage.Queue(chi.URLParam(r, "queue")), r.URL.Query())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page, err := s.svc.Queue(r.Context(), principal(r), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, page)
}

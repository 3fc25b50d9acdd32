package api

import (
	"net/http"

	"github.com/go-chi/chi/v5"
)

func (s *Server) getModels(w http.ResponseWriter, r *http.Request) {
	ms, err := s.svc.Models(r.Context(), principal(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"models": ms})
}

// activateModel makes a trained risk model the active one; the service
// allows it to admins, and running services pick it up at their next
// registry check.
func (s *Server) activateModel(w http.ResponseWriter, r *http.Request) {
	version := chi.URLParam(r, "version")
	if err := s.svc.ActivateModel(r.Context(), principal(r), version); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"active": version})
}

package api

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/billtriage/billtriage/triage"
)

func (s *Server) getModels(w http.ResponseWriter, r *http.Request) {
	ms, err := s.models.ListModels(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if ms == nil {
		ms = []triage.RiskModel{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"models": ms})
}

// activateModel makes a trained risk model the active one (admin only);
// running services pick it up at their next registry check.
func (s *Server) activateModel(w http.ResponseWriter, r *http.Request) {
	if p := principal(r); !p.CanAdminister() {
		s.fail(w, r, triage.Authorize(false, p, "activate models"))
		return
	}
	version := chi.URLParam(r, "version")
	if err := s.models.ActivateModel(r.Context(), version); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"active": version})
}

package api

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/billtriage/billtriage/triage"
)

// startModelShadow runs the stored risk model {version} in shadow beside
// the active one; the body's reason is optional.
func (s *Server) startModelShadow(w http.ResponseWriter, r *http.Request) {
	var in reasonInput
	if r.ContentLength != 0 {
		if err := decode(w, r, maxReasonBytes, &in); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	sh, err := s.svc.StartModelShadow(r.Context(), principal(r), chi.URLParam(r, "version"), in.Reason)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, sh)
}

// getModelShadow reports on the running risk-model shadow, or on ?id=.
func (s *Server) getModelShadow(w http.ResponseWriter, r *http.Request) {
	id, err := queryID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rep, err := s.svc.ModelShadowReport(r.Context(), principal(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

// promoteModelShadow activates the shadow's model and ends the shadow.
func (s *Server) promoteModelShadow(w http.ResponseWriter, r *http.Request) {
	id, reason, err := idAndReason(w, r)
	var sh triage.ModelShadow
	if err == nil {
		sh, err = s.svc.PromoteModelShadow(r.Context(), principal(r), id, reason)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, sh)
}

func (s *Server) discardModelShadow(w http.ResponseWriter, r *http.Request) {
	id, reason, err := idAndReason(w, r)
	if err == nil {
		err = s.svc.DiscardModelShadow(r.Context(), principal(r), id, reason)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

package api

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/billtriage/billtriage/triage"
)

// getClassifiers lists the stored classifier versions.
func (s *Server) getClassifiers(w http.ResponseWriter, r *http.Request) {
	vs, err := s.svc.ClassifierVersions(r.Context(), principal(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if vs == nil {
		vs = []triage.ClassifierVersion{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"versions": vs})
}

// startClassifierShadow runs the stored classifier {version} of {type} in
// shadow beside the one in use; the body's reason is optional.
func (s *Server) startClassifierShadow(w http.ResponseWriter, r *http.Request) {
	version, err := strconv.ParseInt(chi.URLParam(r, "version"), 10, 64)
	if err != nil || version < 1 {
		s.fail(w, r, triage.Invalid("version", "must be a positive integer"))
		return
	}
	var in reasonInput
	if r.ContentLength != 0 {
		if err := decode(w, r, maxReasonBytes, &in); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	sh, err := s.svc.StartClassifierShadow(r.Context(), principal(r), triage.Type(chi.URLParam(r, "type")), version, in.Reason)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, sh)
}

// getClassifierShadow reports on the running classifier shadow, or on ?id=.
func (s *Server) getClassifierShadow(w http.ResponseWriter, r *http.Request) {
	id, err := queryID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rep, err := s.svc.ClassifierShadowReport(r.Context(), principal(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

// promoteClassifierShadow makes the candidate the version in use and ends
// the shadow.
func (s *Server) promoteClassifierShadow(w http.ResponseWriter, r *http.Request) {
	id, reason, err := idAndReason(w, r)
	var sh triage.ClassifierShadow
	if err == nil {
		sh, err = s.svc.PromoteClassifierShadow(r.Context(), principal(r), id, reason)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, sh)
}

func (s *Server) discardClassifierShadow(w http.ResponseWriter, r *http.Request) {
	id, reason, err := idAndReason(w, r)
	if err == nil {
		err = s.svc.DiscardClassifierShadow(r.Context(), principal(r), id, reason)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

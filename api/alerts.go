package api

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/billtriage/billtriage/triage"
)

// defaultAlertsLimit is how many alerts a listing without a limit gets.
const defaultAlertsLimit = 100

// getAlerts lists alerts: the active ones (open or acknowledged) unless
// state names one.
func (s *Server) getAlerts(w http.ResponseWriter, r *http.Request) {
	limit := defaultAlertsLimit
	if l := r.URL.Query().Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil {
			s.fail(w, r, triage.Invalid("limit", "must be an integer from 1 to %d", triage.MaxAlerts))
			return
		}
		limit = n
	}
	as, err := s.svc.Alerts(r.Context(), principal(r), triage.AlertState(r.URL.Query().Get("state")), limit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"alerts": as})
}

// getAlert answers one alert with its log: who raised, acknowledged,
// resolved, paused or resumed it.
func (s *Server) getAlert(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, log, err := s.svc.Alert(r.Context(), principal(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if log == nil {
		log = []triage.AlertLogEntry{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"alert": a, "log": log})
}

// acknowledgeAlert marks an alert seen; admins only.
func (s *Server) acknowledgeAlert(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, err := s.svc.AcknowledgeAlert(r.Context(), principal(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"alert": a})
}

// resumeAlert resumes the automation a pause alert stopped; admins only.
func (s *Server) resumeAlert(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.svc.ResumeAlert(r.Context(), principal(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"automation": p})
}

// getAutomation lists the types the brake has paused or once paused.
func (s *Server) getAutomation(w http.ResponseWriter, r *http.Request) {
	ps, err := s.svc.Automation(r.Context(), principal(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"types": ps})
}

// resumeAutomation resumes a paused type; admins only.
func (s *Server) resumeAutomation(w http.ResponseWriter, r *http.Request) {
	p, err := s.svc.ResumeAutomation(r.Context(), principal(r), triage.Type(chi.URLParam(r, "type")))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"automation": p})
}

// getAlarms lists the drift measures of the last weeks (8 by default).
func (s *Server) getAlarms(w http.ResponseWriter, r *http.Request) {
	weeks := 8
	if v := r.URL.Query().Get("weeks"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			s.fail(w, r, triage.Invalid("weeks", "must be an integer from 1 to 52"))
			return
		}
		weeks = n
	}
	ms, err := s.svc.AlarmMeasures(r.Context(), principal(r), weeks)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"measures": ms})
}

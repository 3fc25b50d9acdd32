package api

import (
	"net/http"

	"github.com/billtriage/billtriage/triage"
)

func (s *Server) getPolicy(w http.ResponseWriter, _ *http.Request) {
	p := s.svc.Policy()
	writeJSON(w, http.StatusOK, map[string]any{"version": p.Version(), "policy": p})
}

// putPolicy replaces the policy in force (admin only). It is stored first,
// so a restart keeps it, then swapped in for the next decision.
func (s *Server) putPolicy(w http.ResponseWriter, r *http.Request) {
	if p := principal(r); !p.CanAdminister() {
		s.fail(w, r, triage.Authorize(false, p, "change the policy"))
		return
	}
	pol, err := triage.ParsePolicy(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.policies.SavePolicy(r.Context(), pol, principal(r).Actor()); err != nil {
		s.fail(w, r, err)
		return
	}
	s.svc.SetPolicy(pol)
	writeJSON(w, http.StatusOK, map[string]any{"version": pol.Version(), "policy": pol})
}

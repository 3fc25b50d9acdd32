package api

import "net/http"

func (s *Server) getPolicy(w http.ResponseWriter, _ *http.Request) {
	p := s.svc.Policy()
	writeJSON(w, http.StatusOK, map[string]any{"version": p.Version(), "policy": p})
}

// putPolicy replaces the policy in force; the service allows it to admins.
func (s *Server) putPolicy(w http.ResponseWriter, r *http.Request) {
	pol, err := s.svc.ChangePolicy(r.Context(), principal(r), http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"version": pol.Version(), "policy": pol})
}

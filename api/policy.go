package api

import "net/http"

// maxPolicyBytes bounds PUT /v1/policy: a policy is a few KB.
const maxPolicyBytes = 1 << 20

func (s *Server) getPolicy(w http.ResponseWriter, _ *http.Request) {
	p := s.svc.Policy()
	writeJSON(w, http.StatusOK, map[string]any{"version": p.Version(), "policy": p})
}

// putPolicy replaces the policy in force; the service allows it to admins.
func (s *Server) putPolicy(w http.ResponseWriter, r *http.Request) {
	pol, err := s.svc.ChangePolicy(r.Context(), principal(r), http.MaxBytesReader(w, r.Body, maxPolicyBytes))
	if err != nil {
		s.fail(w, r, tooLarge(err))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"version": pol.Version(), "policy": pol})
}

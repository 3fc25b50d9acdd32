package api

import "net/http"

// acknowledgeAlertAction acknowledges an alert from the banner; the
// service allows it to admins only.
func (s *Server) acknowledgeAlertAction(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		_, err = s.svc.AcknowledgeAlert(r.Context(), principal(r), id)
	}
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	http.Redirect(w, r, "/ui/dashboard", http.StatusSeeOther)
}

// resumeAlertAction resumes the type a pause alert stopped, from the
// banner; the service allows it to admins only.
func (s *Server) resumeAlertAction(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		_, err = s.svc.ResumeAlert(r.Context(), principal(r), id)
	}
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	http.Redirect(w, r, "/ui/dashboard", http.StatusSeeOther)
}

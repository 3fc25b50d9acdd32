package api

import (
	"net/http"

	"github.com/billtriage/billtriage/triage"
)

// errorView is the body of an error page.
type errorView struct {
	Status  int
	Message string
}

// errorPage renders an error inside the layout, so a person keeps the
// navigation and can go on working.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, title, msg string) {
	s.render(w, r, status, "error", title, errorView{Status: status, Message: msg})
}

// forbidden refuses an action or page the role may not use.
func (s *Server) forbidden(w http.ResponseWriter, r *http.Request, msg string) {
	s.errorPage(w, r, http.StatusForbidden, "Not allowed", msg)
}

// titles head the UI's error pages, by status.
var titles = map[int]string{
	http.StatusBadRequest: "Cannot do that", http.StatusNotFound: "Not found", http.StatusConflict: "Already changed",
	http.StatusUnauthorized: "Signed out", http.StatusForbidden: "Not allowed", http.StatusRequestEntityTooLarge: "Too large",
	http.StatusServiceUnavailable: "Try again shortly", http.StatusInternalServerError: "Something went wrong",
}

// failPage renders err as an error page, with the status the API would
// give it. Internal details are logged, never shown.
func (s *Server) failPage(w http.ResponseWriter, r *http.Request, err error) {
	status := s.status(r, err)
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", retryAfter)
	}
	s.errorPage(w, r, status, titles[status], message(err))
}

// message is the caller-safe message of err, naming the field at fault.
func message(err error) string {
	if f := triage.ErrorField(err); f != "" {
		return f + ": " + triage.ErrorMessage(err)
	}
	return triage.ErrorMessage(err)
}

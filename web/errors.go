package web

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
func (s *server) errorPage(w http.ResponseWriter, r *http.Request, status int, title, msg string) {
	s.render(w, r, status, "error", title, errorView{Status: status, Message: msg})
}

// forbidden refuses an action or page the role may not use.
func (s *server) forbidden(w http.ResponseWriter, r *http.Request, msg string) {
	s.errorPage(w, r, http.StatusForbidden, "Not allowed", msg)
}

// notFound answers any path the UI does not have.
func (s *server) notFound(w http.ResponseWriter, r *http.Request) {
	s.errorPage(w, r, http.StatusNotFound, "Not found", "There is no page at this address.")
}

// statuses maps triage error codes to HTTP statuses, as the API does.
var statuses = map[string]int{
	triage.EINVALID: http.StatusBadRequest, triage.ENOTFOUND: http.StatusNotFound,
	triage.ECONFLICT: http.StatusConflict, triage.EUNAUTHORIZED: http.StatusUnauthorized,
	triage.EFORBIDDEN: http.StatusForbidden, triage.EUNAVAILABLE: http.StatusServiceUnavailable,
}

var titles = map[int]string{
	http.StatusBadRequest: "Cannot do that", http.StatusNotFound: "Not found", http.StatusConflict: "Already changed",
	http.StatusUnauthorized: "Signed out", http.StatusForbidden: "Not allowed",
	http.StatusServiceUnavailable: "Try again shortly", http.StatusInternalServerError: "Something went wrong",
}

// fail renders err as an error page. Internal details are logged, never
// shown.
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, ok := statuses[triage.ErrorCode(err)]
	if !ok {
		status = http.StatusInternalServerError
	}
	if status >= 500 {
		s.log.Error("ui", "method", r.Method, "path", r.URL.Path, "err", err)
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

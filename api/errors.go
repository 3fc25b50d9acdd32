package api

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/billtriage/billtriage/triage"
)

// statusOf is the one table from error codes to HTTP statuses, for the
// API's problems and the UI's error pages alike.
var statusOf = map[string]int{
	triage.EINVALID:      http.StatusBadRequest,
	triage.ENOTFOUND:     http.StatusNotFound,
	triage.ECONFLICT:     http.StatusConflict,
	triage.EUNAUTHORIZED: http.StatusUnauthorized,
	triage.EFORBIDDEN:    http.StatusForbidden,
	triage.EUNAVAILABLE:  http.StatusServiceUnavailable,
	triage.EINTERNAL:     http.StatusInternalServerError,
}

// Problem is an RFC 9457 problem body, with the triage error code and the
// field at fault.
type Problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Code   string `json:"code"`
	Field  string `json:"field,omitempty"`
}

// errTooLarge marks a body over the size limit.
var errTooLarge = &triage.Error{Code: "too_large", Message: "request body is too large"}

// status is the HTTP status of err; a 5xx is logged with its internal
// details, which never reach the caller.
func (s *Server) status(r *http.Request, err error) int {
	status, ok := statusOf[triage.ErrorCode(err)]
	if errors.Is(err, errTooLarge) {
		status, ok = http.StatusRequestEntityTooLarge, true
	}
	if !ok {
		status = http.StatusInternalServerError
	}
	if status >= 500 {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	return status
}

// retryAfter is what a 503 asks a client to wait: the database usually
// comes back within seconds, and what was accepted is kept.
const retryAfter = "5"

// fail answers an API request with err as a problem.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := s.status(r, err)
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", retryAfter)
	}
	writeProblem(w, Problem{Type: "about:blank", Title: http.StatusText(status), Status: status,
		Detail: triage.ErrorMessage(err), Code: triage.ErrorCode(err), Field: triage.ErrorField(err)})
}

func writeProblem(w http.ResponseWriter, p Problem) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		slog.Default().Debug("write response", "err", err)
	}
}

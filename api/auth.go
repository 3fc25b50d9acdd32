package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/billtriage/billtriage/triage"
)

type principalKey struct{}

// principal returns the authenticated caller of r; authenticate guarantees
// there is one on every /v1 route.
func principal(r *http.Request) triage.Principal {
	p, _ := r.Context().Value(principalKey{}).(triage.Principal)
	return p
}

// apiKey reads the key from "Authorization: Bearer <key>" or "X-API-Key".
func apiKey(r *http.Request) string {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, key, ok := strings.Cut(h, " ")
		if ok && strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(key)
		}
		return ""
	}
	return r.Header.Get("X-API-Key")
}

// authenticate rejects requests without an active API key (401) and puts
// the caller's principal in the context for the per-route role checks.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := s.keys.Authenticate(r.Context(), apiKey(r))
		if err != nil {
			if triage.ErrorCode(err) == triage.EUNAUTHORIZED {
				w.Header().Set("WWW-Authenticate", `Bearer realm="billtriage"`)
			}
			s.fail(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), principalKey{}, p)))
	})
}

// loadVisible returns exception id if the caller may see its queue. Object
// level checks live here so no handler can forget them (OWASP API1).
func (s *Server) loadVisible(r *http.Request, id int64) (triage.Exception, error) {
	ex, err := s.svc.Store().Exception(r.Context(), id)
	if err != nil {
		return ex, err
	}
	p := principal(r)
	return ex, triage.Authorize(p.CanSee(ex.Queue), p, "see items of the "+queueName(ex.Queue)+" queue")
}

// loadWorkable returns exception id if the caller may act on its queue.
func (s *Server) loadWorkable(r *http.Request, id int64) (triage.Exception, error) {
	ex, err := s.svc.Store().Exception(r.Context(), id)
	if err != nil {
		return ex, err
	}
	p := principal(r)
	return ex, triage.Authorize(p.CanWork(ex.Queue), p, "act on items of the "+queueName(ex.Queue)+" queue")
}

func queueName(q triage.Queue) string {
	if q == "" {
		return "unassigned"
	}
	return string(q)
}

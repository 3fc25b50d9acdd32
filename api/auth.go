package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/billtriage/billtriage/triage"
)

type principalKey struct{}

// withPrincipal records the caller, however they authenticated.
func withPrincipal(r *http.Request, p triage.Principal) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), principalKey{}, p))
}

// principal returns the authenticated caller of r, from an API key or a
// UI session; authenticate and authed guarantee there is one on every
// route that acts for someone.
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

// authenticate rejects API requests without an active key (401) and
// records the key's principal; the service checks what it may do. A
// client that has failed too many key checks is refused (429) before its
// key is looked at, so guessing costs the guesser time and not us a query.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		client := clientKey(r)
		if wait, blocked := s.failures.blocked(client); blocked {
			s.rateLimited(w, r, "api", wait)
			return
		}
		p, err := s.keys.Authenticate(r.Context(), apiKey(r))
		if err != nil {
			if triage.ErrorCode(err) == triage.EUNAUTHORIZED {
				s.failures.failed(client)
				s.metrics.authFailed("api")
				w.Header().Set("WWW-Authenticate", `Bearer realm="billtriage"`)
			}
			s.fail(w, r, err)
			return
		}
		next.ServeHTTP(w, withPrincipal(r, p))
	})
}

// rateLimited answers an API request from a client over its failure
// limit: 429, code rate_limited, and Retry-After in seconds.
func (s *Server) rateLimited(w http.ResponseWriter, r *http.Request, door string, wait time.Duration) {
	s.metrics.authLimited(door)
	s.log.Warn("too many failed key checks", "door", door, "client", clientKey(r), "path", r.URL.Path)
	w.Header().Set("Retry-After", retryAfterSeconds(wait))
	writeProblem(w, Problem{Type: "about:blank", Title: http.StatusText(http.StatusTooManyRequests),
		Status: http.StatusTooManyRequests, Code: codeRateLimited,
		Detail: "too many failed API key checks from this address; try again after Retry-After seconds"})
}

// codeRateLimited is the problem code of a 429. It is the API's own, not a
// triage error code: the domain never refuses for this reason.
const codeRateLimited = "rate_limited"

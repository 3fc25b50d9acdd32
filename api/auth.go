package api

import (
	"context"
	"net/http"
	"strings"

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
// records the key's principal; the service checks what it may do.
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
		next.ServeHTTP(w, withPrincipal(r, p))
	})
}

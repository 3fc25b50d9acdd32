package api

import (
	"context"
	"net/http"
	"net/url"

	"github.com/billtriage/billtriage/triage"
)

// sessionCookie names the cookie that holds the session token.
const sessionCookie = "bt_session"

// maxFormBytes bounds a form post: a pasted email may be as large as
// triage.MaxTextBytes, and URL encoding can triple it.
const maxFormBytes = 3*triage.MaxTextBytes + 64<<10

type sessionKey struct{}

// session returns the signed-in session of a request that passed authed.
func session(r *http.Request) *triage.Session {
	sess, _ := r.Context().Value(sessionKey{}).(*triage.Session)
	return sess
}

// authed admits requests with a live session and, for anything but GET and
// HEAD, a matching CSRF token; it puts the session in the context.
// Without a session a page request goes to the sign-in page and returns
// here afterwards; a form post is refused, since replaying it after
// signing in could act twice.
func (s *Server) authed(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess, err := s.lookupSession(r)
		if err != nil {
			s.noSession(w, r, err)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
			if !tokensEqual(r.PostFormValue(csrfField), sess.CSRF) {
				s.forbidden(w, withPrincipal(r.WithContext(context.WithValue(r.Context(), sessionKey{}, &sess)), sess.Principal),
					"This form has expired or did not come from this site. Reload the page and try again.")
				return
			}
		}
		w.Header().Set("Cache-Control", "no-store")
		ctx := withQueueSizes(context.WithValue(r.Context(), sessionKey{}, &sess))
		next.ServeHTTP(w, withPrincipal(r.WithContext(ctx), sess.Principal))
	})
}

// lookupSession reads the cookie and asks the store for its live session.
func (s *Server) lookupSession(r *http.Request) (triage.Session, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return triage.Session{}, triage.Errorf(triage.EUNAUTHORIZED, "not signed in")
	}
	return s.sessions.Session(r.Context(), c.Value)
}

// noSession answers a request without a live session.
func (s *Server) noSession(w http.ResponseWriter, r *http.Request, err error) {
	if triage.ErrorCode(err) != triage.EUNAUTHORIZED {
		s.failPage(w, r, err)
		return
	}
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		http.Redirect(w, r, "/ui/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	s.errorPage(w, r, http.StatusUnauthorized, "Signed out",
		"Your session has ended, so nothing was changed. Sign in and try again.")
}

// setSessionCookie hands the browser its session token: HttpOnly so
// scripts cannot read it, SameSite=Strict so other sites cannot send it,
// Secure whenever the site is served over TLS (see secure).
func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, token string, sess triage.Session) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/ui/", Expires: sess.ExpiresAt,
		HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteStrictMode})
}

// clearCookie tells the browser to drop a cookie of the UI.
func (s *Server) clearCookie(w http.ResponseWriter, r *http.Request, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/ui/", MaxAge: -1,
		HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteStrictMode})
}

// secure reports whether the site is served over TLS: the request came
// over TLS, or the server was told it sits behind a TLS-terminating proxy
// (Config.SecureCookies), where the request itself arrives in plain HTTP
// and cannot say.
func (s *Server) secure(r *http.Request) bool { return r.TLS != nil || s.secureCookies }

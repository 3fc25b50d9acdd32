package api

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// loginView is the sign-in form.
type loginView struct {
	// Token is the double-submit token for the hidden field; it matches
	// the bt_login cookie set with the page.
	Token string
	Next  string
	Error string
}

// loginPage shows the sign-in form with a fresh double-submit token; a
// person already signed in goes straight on.
func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	if _, err := s.lookupSession(r); err == nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	s.renderLogin(w, r, http.StatusOK, loginView{Next: next})
}

func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, status int, v loginView) {
	v.Token = newToken()
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: v.Token, Path: "/ui/", MaxAge: 3600,
		HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteStrictMode})
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "login", "Sign in", v)
}

// login exchanges an API key for a session cookie. A wrong key counts
// against the client's failure limit, shared with the API's key checks;
// over it the form is shown again with 429 and Retry-After, and the key is
// not checked.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	client := clientKey(r)
	if wait, blocked := s.failures.blocked(client); blocked {
		s.metrics.authLimited("ui")
		s.log.Warn("too many failed key checks", "door", "ui", "client", client, "path", r.URL.Path)
		w.Header().Set("Retry-After", retryAfterSeconds(wait))
		s.renderLogin(w, r, http.StatusTooManyRequests, loginView{Next: safeNext(r.PostFormValue("next")),
			Error: "Too many failed sign-ins from your address. Wait " + waitText(wait) + " and try again."})
		return
	}
	c, err := r.Cookie(loginCookie)
	if err != nil || !tokensEqual(r.PostFormValue(csrfField), c.Value) {
		s.renderLogin(w, r, http.StatusForbidden, loginView{Next: safeNext(r.PostFormValue("next")),
			Error: "The sign-in form expired or did not come from this site. Please try again."})
		return
	}
	next := safeNext(r.PostFormValue("next"))
	p, err := s.keys.Authenticate(r.Context(), strings.TrimSpace(r.PostFormValue("key")))
	if err != nil {
		if triage.ErrorCode(err) != triage.EUNAUTHORIZED {
			s.failPage(w, r, err)
			return
		}
		s.failures.failed(client)
		s.metrics.authFailed("ui")
		s.renderLogin(w, r, http.StatusUnauthorized, loginView{Next: next,
			Error: "That key is unknown or has been revoked."})
		return
	}
	token, sess, err := s.sessions.CreateSession(r.Context(), p, s.ttl)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	s.clearCookie(w, r, loginCookie)
	s.setSessionCookie(w, r, token, sess)
	s.log.Info("ui sign-in", "actor", p.Actor())
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// logout ends the session in the store as well as in the browser, so a
// copied cookie stops working too.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.sessions.DeleteSession(r.Context(), c.Value); err != nil {
			s.failPage(w, r, err)
			return
		}
	}
	s.clearCookie(w, r, sessionCookie)
	http.Redirect(w, r, "/ui/login", http.StatusSeeOther)
}

// safeNext keeps a post-sign-in destination only if it is a path of this
// UI, so the sign-in form cannot be used to redirect people elsewhere.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/ui/") || strings.HasPrefix(next, "/ui/login") ||
		strings.ContainsAny(next, "\\\r\n") || strings.HasPrefix(next, "//") {
		return "/ui/"
	}
	return next
}

// waitText says how long a person should wait, in whole seconds or
// minutes, rounded up so waiting that long is enough.
func waitText(d time.Duration) string {
	secs := max(int(math.Ceil(d.Seconds())), 1)
	switch {
	case secs == 1:
		return "a second"
	case secs < 120:
		return strconv.Itoa(secs) + " seconds"
	}
	return strconv.Itoa((secs+59)/60) + " minutes"
}

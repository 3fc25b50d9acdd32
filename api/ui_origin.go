package api

import (
	"net/http"
)

// sameOrigin refuses a UI form post (any method but GET, HEAD and
// OPTIONS, sign-in and sign-out included) that a browser says came from
// another site, before it is read or acts: 403 and an error page. It backs
// up the CSRF token and the SameSite cookies, which a token leaked into a
// page or a sibling subdomain could get past.
//
// The browser's word is taken from the headers a page cannot forge:
//
//   - Origin, when sent, must be this site's own scheme and host: https
//     when the request came over TLS or the server is told it sits behind
//     a TLS proxy (Config.SecureCookies), http otherwise, and the Host the
//     request was sent to. "null" (a sandboxed or privacy-stripped origin)
//     is refused.
//   - An Origin that does not match is still let through when
//     Sec-Fetch-Site says same-origin: the browser then vouches that the
//     form and its target share an origin, and the mismatch comes from a
//     proxy in front rewriting the Host or the scheme.
//   - Without Origin, Sec-Fetch-Site must be same-origin or none (typed
//     or bookmarked by the person).
//   - With neither header the post passes: it is not from a current
//     browser (curl, a script), carries no one else's cookies, and still
//     needs the CSRF token.
func (s *Server) sameOrigin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			next.ServeHTTP(w, r)
			return
		}
		if !s.fromThisSite(r) {
			s.log.Warn("cross-origin form post refused", "path", r.URL.Path,
				"origin", r.Header.Get("Origin"), "sec_fetch_site", r.Header.Get("Sec-Fetch-Site"))
			s.errorPage(w, r, http.StatusForbidden, "Not allowed",
				"This form was sent from another site, so nothing was changed. Open billtriage directly and try again.")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// fromThisSite applies sameOrigin's rules to r.
func (s *Server) fromThisSite(r *http.Request) bool {
	site := r.Header.Get("Sec-Fetch-Site")
	origin := r.Header.Get("Origin")
	if origin != "" {
		return origin == s.ownOrigin(r) || site == "same-origin"
	}
	return site == "" || site == "same-origin" || site == "none"
}

// ownOrigin is the origin the request was sent to, as a browser writes it
// in Origin.
func (s *Server) ownOrigin(r *http.Request) string {
	if s.secure(r) {
		return "https://" + r.Host
	}
	return "http://" + r.Host
}

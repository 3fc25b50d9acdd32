package web

import (
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/billtriage/billtriage/disputes"
	"github.com/billtriage/billtriage/triage"
)

// Config configures the UI. Service, Keys, Sessions and Stats are required.
type Config struct {
	Service  *triage.Service
	Keys     triage.KeyStore
	Sessions triage.SessionStore
	Stats    triage.StatsStore
	// Intake triages pasted dispute emails, as POST /v1/disputes does.
	Intake *disputes.Intake
	Logger *slog.Logger
	// Now is the clock for ages and the dashboard window; time.Now when nil.
	Now func() time.Time
	// SessionTTL is how long a sign-in lasts; 12 hours when zero, a
	// working day.
	SessionTTL time.Duration
}

// DefaultSessionTTL is the session lifetime when Config.SessionTTL is zero.
const DefaultSessionTTL = 12 * time.Hour

// server holds the UI's dependencies; its methods are the handlers.
type server struct {
	svc      *triage.Service
	store    triage.Store
	keys     triage.KeyStore
	sessions triage.SessionStore
	stats    triage.StatsStore
	intake   *disputes.Intake
	log      *slog.Logger
	now      func() time.Time
	ttl      time.Duration
	pages    *pages
	assets   *assets
}

// New returns the UI handler. It serves the full paths under /ui/ (pages,
// forms and /ui/static/), so mount it without stripping the prefix, e.g.
// mux.Handle("/ui/", h).
func New(cfg Config) (http.Handler, error) {
	if cfg.Service == nil || cfg.Keys == nil || cfg.Sessions == nil || cfg.Stats == nil || cfg.Intake == nil {
		return nil, errors.New("web: Service, Keys, Sessions, Stats and Intake are required")
	}
	s := &server{svc: cfg.Service, store: cfg.Service.Store(), keys: cfg.Keys, sessions: cfg.Sessions,
		stats: cfg.Stats, intake: cfg.Intake, log: cfg.Logger, now: cfg.Now, ttl: cfg.SessionTTL}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.ttl <= 0 {
		s.ttl = DefaultSessionTTL
	}
	var err error
	if s.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	if s.pages, err = parsePages(s.assets); err != nil {
		return nil, err
	}
	return s.logRequests(securityHeaders(s.routes())), nil
}

// routes maps the UI's paths; handlers behind s.authed need a session, and
// their POSTs a valid CSRF token.
func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /ui/static/", s.assets)
	mux.HandleFunc("GET /ui/login", s.loginPage)
	mux.HandleFunc("POST /ui/login", s.login)
	mux.Handle("POST /ui/logout", s.authed(s.logout))
	mux.Handle("GET /ui/{$}", s.authed(s.home))
	mux.Handle("GET /ui/queues/{queue}", s.authed(s.queuePage))
	mux.Handle("GET /ui/exceptions/{id}", s.authed(s.exceptionPage))
	mux.Handle("POST /ui/exceptions/{id}/resolution", s.authed(s.resolve))
	mux.Handle("POST /ui/exceptions/{id}/reassign", s.authed(s.reassign))
	mux.Handle("GET /ui/dispute", s.authed(s.disputePage))
	mux.Handle("POST /ui/dispute", s.authed(s.submitDispute))
	mux.Handle("GET /ui/dashboard", s.authed(s.dashboard))
	mux.Handle("/ui/", s.authed(s.notFound))
	return mux
}

// home sends a person to the first queue their role works.
func (s *server) home(w http.ResponseWriter, r *http.Request) {
	qs := principal(r).Queues()
	if len(qs) == 0 {
		http.Redirect(w, r, "/ui/dashboard", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/ui/queues/"+string(qs[0]), http.StatusSeeOther)
}

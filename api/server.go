package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/billtriage/billtriage/disputes"
	"github.com/billtriage/billtriage/triage"
)

// Pinger checks a dependency for readiness.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Server is billtriage's one HTTP front door: the JSON API under /v1 and
// the review UI under /ui, two sets of routes over the same service calls,
// on one router with one error table, one request log and one principal.
type Server struct {
	svc      *triage.Service
	keys     triage.KeyStore
	sessions triage.SessionStore
	stats    triage.StatsStore
	intake   *disputes.Intake
	metrics  *Metrics
	ready    Pinger
	log      *slog.Logger
	now      func() time.Time
	maxBody  int64
	ttl      time.Duration
	// failures limits failed key checks per client, on /v1, /metrics and
	// the sign-in form alike: all three guess at the same keys.
	failures *failureLimiter
	trusted  []netip.Prefix
	// secureCookies marks cookies Secure and makes https the site's scheme
	// even when requests arrive over plain HTTP from a TLS proxy.
	secureCookies bool
	metricsAuth   bool
	pages         *pages
	assets        *assets
	router        chi.Router
}

// Config configures a Server. Service, Keys, Sessions, Stats, Intake and
// Ready are required.
type Config struct {
	Service  *triage.Service
	Keys     triage.KeyStore
	Sessions triage.SessionStore
	Stats    triage.StatsStore
	// Intake handles POST /v1/disputes and the UI's paste page.
	Intake *disputes.Intake
	// Metrics, when set, is served at /metrics; pass the same value to the
	// service as its Observer.
	Metrics *Metrics
	Ready   Pinger
	Logger  *slog.Logger
	// Now is the clock for ages and the dashboard window; time.Now when nil.
	Now func() time.Time
	// MaxBody bounds JSON request bodies; a batch of 1,000 exceptions fits
	// in the default 32 MiB.
	MaxBody int64
	// SessionTTL is how long a UI sign-in lasts; DefaultSessionTTL when
	// zero.
	SessionTTL time.Duration
	// FailureLimit is how many failed key checks (a missing, wrong or
	// revoked API key on /v1 or a protected /metrics, a wrong key at
	// sign-in) one client may make within FailureWindow; past it, its
	// attempts get 429 with Retry-After until enough failures age out.
	// Successful checks never count. DefaultFailureLimit and
	// DefaultFailureWindow when zero.
	FailureLimit  int
	FailureWindow time.Duration
	// TrustedProxies are the addresses (CIDR prefixes or single IPs) of
	// reverse proxies whose X-Forwarded-For names the client. Empty: the
	// TCP peer is the client and forwarded headers are ignored, since
	// anyone could send them.
	TrustedProxies []string
	// SecureCookies marks the UI's cookies Secure even on requests that
	// arrived over plain HTTP, and makes https the scheme form posts must
	// come from: for a server behind a TLS-terminating proxy. Requests
	// over TLS get Secure cookies regardless.
	SecureCookies bool
	// MetricsAuth makes /metrics require an API key of any role, like
	// /v1; without it /metrics is open, for a scraper on a private network.
	MetricsAuth bool
}

// DefaultSessionTTL is the session lifetime when Config.SessionTTL is
// zero: a working day.
const DefaultSessionTTL = 12 * time.Hour

// NewServer returns the HTTP handler of cfg.
func NewServer(cfg Config) (*Server, error) {
	if cfg.Service == nil || cfg.Keys == nil || cfg.Sessions == nil || cfg.Stats == nil ||
		cfg.Intake == nil || cfg.Ready == nil {
		return nil, errors.New("api: Service, Keys, Sessions, Stats, Intake and Ready are required")
	}
	if cfg.FailureLimit < 0 || cfg.FailureWindow < 0 {
		return nil, errors.New("api: FailureLimit and FailureWindow must not be negative")
	}
	trusted, err := parsePrefixes(cfg.TrustedProxies)
	if err != nil {
		return nil, fmt.Errorf("api: TrustedProxies: %w", err)
	}
	s := &Server{svc: cfg.Service, keys: cfg.Keys, sessions: cfg.Sessions, stats: cfg.Stats,
		intake: cfg.Intake, metrics: cfg.Metrics, ready: cfg.Ready, log: cfg.Logger, now: cfg.Now,
		maxBody: cfg.MaxBody, ttl: cfg.SessionTTL, trusted: trusted,
		secureCookies: cfg.SecureCookies, metricsAuth: cfg.MetricsAuth}
	s.defaults()
	limit, window := cfg.FailureLimit, cfg.FailureWindow
	if limit == 0 {
		limit = DefaultFailureLimit
	}
	if window == 0 {
		window = DefaultFailureWindow
	}
	s.failures = newFailureLimiter(limit, window)
	if s.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	if s.pages, err = parsePages(s.assets); err != nil {
		return nil, err
	}
	s.router = s.routes()
	return s, nil
}

func (s *Server) defaults() {
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.maxBody == 0 {
		s.maxBody = 32 << 20
	}
	if s.ttl <= 0 {
		s.ttl = DefaultSessionTTL
	}
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.router.ServeHTTP(w, r) }

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.ready.Ping(ctx); err != nil {
		s.fail(w, r, triage.Wrap(triage.EUNAVAILABLE, err, "database is not reachable"))
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

package api

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/billtriage/billtriage/disputes"
	"github.com/billtriage/billtriage/triage"
)

// Pinger checks a dependency for readiness.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Server is the HTTP API.
type Server struct {
	svc      *triage.Service
	keys     triage.KeyStore
	policies triage.PolicyStore
	models   triage.ModelStore
	intake   *disputes.Intake
	metrics  *Metrics
	ready    Pinger
	log      *slog.Logger
	now      func() time.Time
	maxBody  int64
	router   chi.Router
}

// Config configures a Server. Service, Keys, Policies and Ready are
// required.
type Config struct {
	Service  *triage.Service
	Keys     triage.KeyStore
	Policies triage.PolicyStore
	Models   triage.ModelStore
	// Intake handles POST /v1/disputes.
	Intake *disputes.Intake
	// Metrics, when set, is served at /metrics; pass the same value to the
	// service as its Observer.
	Metrics *Metrics
	Ready   Pinger
	Logger  *slog.Logger
	Now     func() time.Time
	// MaxBody bounds request bodies; a batch of 1,000 exceptions fits in
	// the default 32 MiB.
	MaxBody int64
}

// NewServer returns the API handler.
func NewServer(cfg Config) *Server {
	s := &Server{svc: cfg.Service, keys: cfg.Keys, policies: cfg.Policies, models: cfg.Models, intake: cfg.Intake, metrics: cfg.Metrics, ready: cfg.Ready, log: cfg.Logger, now: cfg.Now, maxBody: cfg.MaxBody}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.maxBody == 0 {
		s.maxBody = 32 << 20
	}
	s.router = s.routes()
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.router.ServeHTTP(w, r) }

func (s *Server) routes() chi.Router {
	r := chi.NewRouter()
	r.Use(middleware.RequestID, middleware.RealIP, s.logRequests, middleware.Recoverer)
	r.Get("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	r.Get("/readyz", s.readyz)
	r.Get("/openapi.json", serveOpenAPI)
	if s.metrics != nil {
		r.Method(http.MethodGet, "/metrics", s.metrics.Handler())
	}
	r.Route("/v1", func(r chi.Router) {
		r.Use(s.authenticate)
		r.Post("/exceptions", s.postExceptions)
		r.Get("/exceptions/{id}", s.getException)
		r.Post("/exceptions/{id}/resolution", s.postResolution)
		r.Post("/exceptions/{id}/reassign", s.postReassign)
		r.Post("/exceptions/{id}/revert", s.postRevert)
		r.Post("/disputes", s.postDispute)
		r.Get("/queues/{queue}", s.getQueue)
		r.Get("/policy", s.getPolicy)
		r.Put("/policy", s.putPolicy)
		r.Get("/models", s.getModels)
		r.Post("/models/{version}/activate", s.activateModel)
	})
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, triage.Errorf(triage.ENOTFOUND, "no route %s %s", r.Method, r.URL.Path))
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, Problem{Type: "about:blank", Title: "Method Not Allowed",
			Status: http.StatusMethodNotAllowed, Detail: r.Method + " is not allowed on " + r.URL.Path, Code: "method_not_allowed"})
	})
	return r
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.ready.Ping(ctx); err != nil {
		s.fail(w, r, triage.Wrap(triage.EUNAVAILABLE, err, "database is not reachable"))
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

func (s *Server) getPolicy(w http.ResponseWriter, _ *http.Request) {
	p := s.svc.Policy()
	writeJSON(w, http.StatusOK, map[string]any{"version": p.Version(), "policy": p})
}

// putPolicy replaces the policy in force (admin only). It is stored first,
// so a restart keeps it, then swapped in for the next decision.
func (s *Server) putPolicy(w http.ResponseWriter, r *http.Request) {
	if p := principal(r); !p.CanAdminister() {
		s.fail(w, r, triage.Authorize(false, p, "change the policy"))
		return
	}
	pol, err := triage.ParsePolicy(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.policies.SavePolicy(r.Context(), pol, principal(r).Actor()); err != nil {
		s.fail(w, r, err)
		return
	}
	s.svc.SetPolicy(pol)
	writeJSON(w, http.StatusOK, map[string]any{"version": pol.Version(), "policy": pol})
}

func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)
		s.log.Info("http", "method", r.Method, "path", r.URL.Path, "status", ww.Status(),
			"ms", float64(time.Since(start).Microseconds())/1000, "request_id", middleware.GetReqID(r.Context()))
	})
}

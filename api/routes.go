package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/billtriage/billtriage/triage"
)

// routes maps both sets of routes: the JSON API behind an API key and the
// UI behind a session (and, for its forms, a CSRF token).
func (s *Server) routes() chi.Router {
	r := chi.NewRouter()
	// The client's address (for the failure limit) comes from the TCP peer,
	// or from X-Forwarded-For only past the configured trusted proxies:
	// chi's RealIP would believe any client's header and let it pick a fresh
	// address for every guess.
	r.Use(middleware.RequestID, clientIPs(s.trusted), s.logRequests, middleware.Recoverer)
	r.Get("/", http.RedirectHandler("/ui/", http.StatusSeeOther).ServeHTTP)
	r.Get("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	r.Get("/readyz", s.readyz)
	r.Get("/openapi.json", serveOpenAPI)
	if s.metrics != nil {
		metrics := s.metrics.Handler()
		if s.metricsAuth {
			metrics = s.authenticate(metrics)
		}
		r.Method(http.MethodGet, "/metrics", metrics)
	}
	r.Route("/v1", s.apiRoutes)
	r.Route("/ui", s.uiRoutes)
	r.NotFound(s.notFound)
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, Problem{Type: "about:blank", Title: "Method Not Allowed",
			Status: http.StatusMethodNotAllowed, Detail: r.Method + " is not allowed on " + r.URL.Path, Code: "method_not_allowed"})
	})
	return r
}

func (s *Server) apiRoutes(r chi.Router) {
	r.Use(s.authenticate)
	r.Post("/exceptions", s.postExceptions)
	r.Get("/exceptions/{id}", s.getException)
	r.Post("/exceptions/{id}/resolution", s.postResolution)
	r.Post("/exceptions/{id}/reassign", s.postReassign)
	r.Post("/exceptions/{id}/revert", s.postRevert)
	r.Post("/exceptions/{id}/claim", s.postClaim)
	r.Post("/exceptions/{id}/assign", s.postAssign)
	r.Get("/exceptions/{id}/comments", s.getComments)
	r.Post("/exceptions/{id}/comments", s.postComment)
	r.Post("/bulk", s.postBulk)
	r.Get("/auto-enriched", s.getAutoEnriched)
	r.Post("/disputes", s.postDispute)
	r.Get("/queues/{queue}", s.getQueue)
	r.Get("/policy", s.getPolicy)
	r.Put("/policy", s.putPolicy)
	r.Post("/policy/preview", s.postPreview)
	r.Get("/policy/previews/{id}", s.getPreview)
	r.Get("/policy/versions", s.getPolicyVersions)
	r.Get("/policy/versions/{id}", s.getPolicyVersion)
	r.Post("/policy/versions/{id}/rollback", s.rollbackPolicy)
	r.Post("/policy/shadow", s.postShadow)
	r.Get("/policy/shadow", s.getShadow)
	r.Post("/policy/shadow/{id}/promote", s.promoteShadow)
	r.Post("/policy/shadow/{id}/discard", s.discardShadow)
	r.Get("/models", s.getModels)
	r.Post("/models/{version}/activate", s.activateModel)
	r.Post("/models/{version}/shadow", s.startModelShadow)
	r.Get("/models/shadow", s.getModelShadow)
	r.Post("/models/shadow/{id}/promote", s.promoteModelShadow)
	r.Post("/models/shadow/{id}/discard", s.discardModelShadow)
	r.Get("/classifiers", s.getClassifiers)
	r.Post("/classifiers/{type}/versions/{version}/shadow", s.startClassifierShadow)
	r.Get("/classifiers/shadow", s.getClassifierShadow)
	r.Post("/classifiers/shadow/{id}/promote", s.promoteClassifierShadow)
	r.Post("/classifiers/shadow/{id}/discard", s.discardClassifierShadow)
	r.Post("/webhooks", s.postWebhook)
	r.Get("/webhooks", s.getWebhooks)
	r.Delete("/webhooks/{id}", s.deleteWebhook)
	r.Post("/webhooks/{id}/rotate", s.rotateWebhook)
	r.Get("/deliveries", s.getDeliveries)
	r.Post("/deliveries/{id}/redeliver", s.redeliver)
	r.Post("/postings", s.postPosting)
	r.Get("/patterns", s.getPatterns)
	r.Get("/patterns/{id}", s.getPattern)
	r.Post("/patterns/{id}/resolve", s.postPatternResolve)
	r.Post("/checks/invoices", s.postCheckInvoices)
	r.Get("/drift", s.getDrift)
	r.Get("/alerts", s.getAlerts)
	r.Get("/alerts/{id}", s.getAlert)
	r.Post("/alerts/{id}/acknowledge", s.acknowledgeAlert)
	r.Post("/alerts/{id}/resume", s.resumeAlert)
	r.Get("/automation", s.getAutomation)
	r.Post("/automation/{type}/resume", s.resumeAutomation)
	r.Get("/alarms", s.getAlarms)
}

func (s *Server) uiRoutes(r chi.Router) {
	r.Use(securityHeaders, s.sameOrigin)
	r.Handle("/static/*", s.assets)
	r.Get("/login", s.loginPage)
	r.Post("/login", s.login)
	r.Group(func(r chi.Router) {
		r.Use(s.authed)
		r.Post("/logout", s.logout)
		r.Get("/", s.home)
		r.Get("/queues/{queue}", s.queuePage)
		r.Post("/queues/{queue}/views", s.saveView)
		r.Post("/queues/{queue}/views/{id}/delete", s.deleteView)
		r.Get("/exceptions/{id}", s.exceptionPage)
		r.Post("/exceptions/{id}/resolution", s.resolve)
		r.Post("/exceptions/{id}/reassign", s.reassign)
		r.Post("/exceptions/{id}/claim", s.claim)
		r.Post("/exceptions/{id}/assign", s.assign)
		r.Post("/exceptions/{id}/comments", s.comment)
		r.Post("/exceptions/{id}/revert", s.revert)
		r.Post("/bulk/confirm", s.bulkConfirm)
		r.Post("/bulk", s.bulkApply)
		r.Get("/auto", s.autoPage)
		r.Get("/dispute", s.disputePage)
		r.Post("/dispute", s.submitDispute)
		r.Get("/dashboard", s.dashboard)
		r.Get("/deliveries", s.deliveriesPage)
		r.Post("/deliveries/{id}/redeliver", s.redeliverAction)
		r.Get("/policy", s.policyPage)
		r.Post("/policy/preview", s.previewAction)
		r.Post("/policy/activate", s.activateAction)
		r.Post("/policy/shadow", s.shadowAction)
		r.Post("/policy/versions/{id}/rollback", s.rollbackAction)
		r.Post("/policy/shadow/{id}/promote", s.promoteAction)
		r.Post("/policy/shadow/{id}/discard", s.discardAction)
		r.Post("/policy/model-shadow/{id}/promote", s.promoteModelAction)
		r.Post("/policy/model-shadow/{id}/discard", s.discardModelAction)
		r.Get("/patterns", s.patternsPage)
		r.Get("/patterns/{id}", s.patternPage)
		r.Post("/patterns/{id}/resolve", s.resolvePatternAction)
		r.Get("/drift", s.driftPage)
		r.Post("/alerts/{id}/acknowledge", s.acknowledgeAlertAction)
		r.Post("/alerts/{id}/resume", s.resumeAlertAction)
	})
	r.NotFound(s.authed(http.HandlerFunc(s.notFound)).ServeHTTP)
}

// notFound answers a path no route has: a page under /ui/, a problem
// elsewhere.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/ui/") {
		s.errorPage(w, r, http.StatusNotFound, "Not found", "There is no page at this address.")
		return
	}
	s.fail(w, r, triage.Errorf(triage.ENOTFOUND, "no route %s %s", r.Method, r.URL.Path))
}

// logRequests logs one line per request, API and UI alike. Bodies are
// never logged: they hold API keys and pasted customer emails.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)
		s.log.Info("http", "method", r.Method, "path", r.URL.Path, "status", ww.Status(),
			"ms", float64(time.Since(start).Microseconds())/1000, "request_id", middleware.GetReqID(r.Context()))
	})
}

// Package api is billtriage's one HTTP front door, on one chi router:
//
//   - the JSON API under /v1, behind an API key, with problem+json errors
//     (RFC 9457) that name the bad field;
//   - the review UI under /ui, where revenue ops, finance, tax and support
//     work their queues, support pastes dispute emails and team leads
//     watch the KPIs: server-rendered html/template pages (templates and
//     assets embedded from ui/), SVG charts computed in Go
//     (internal/chart), a session cookie after signing in with an API key,
//     and a CSRF token on every form;
//   - health probes and Prometheus metrics.
//
// Both sets of routes resolve one triage.Principal and call the same
// triage.Service methods, which decide what the caller may see and do;
// one table maps error codes to HTTP statuses. It is the only package
// that imports chi and Prometheus.
package api

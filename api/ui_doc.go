// Package web is the review UI: server-rendered pages where revenue ops,
// finance, tax and support work their queues, support pastes dispute
// emails, and team leads watch the KPIs.
//
// Pages are html/template with a small embedded stylesheet and script; the
// charts are SVG computed in Go. People sign in with an API key and keep a
// session cookie; every form carries the session's CSRF token, and every
// page and action checks the signed-in role (see triage.Principal).
// Everything is served under /ui/.
package api

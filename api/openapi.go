package api

import (
	"bytes"
	_ "embed"
	"net/http"

	"github.com/go-chi/chi/v5"
)

// openapiJSON is authored as JSON, so it is served as it is, with nothing
// to convert at startup.
//
//go:embed openapi.json
var openapiJSON []byte

// OpenAPI returns a copy of the OpenAPI 3 document of the JSON API, the one
// served at GET /openapi.json so clients can be generated from it. The
// contract tests load it from here to keep it true to the handlers; it is a
// copy so no caller can change what the server serves.
func OpenAPI() []byte { return bytes.Clone(openapiJSON) }

// serveOpenAPI needs no key: the document says how to authenticate, so a
// client must be able to read it first.
func serveOpenAPI(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(openapiJSON)
}

// WalkRoutes calls fn with the method and pattern of every route the
// server registered, e.g. "POST" and "/v1/exceptions/{id}/resolution". It
// exists so a test can check that the OpenAPI document covers every route
// without importing chi, which stays private to this package.
func (s *Server) WalkRoutes(fn func(method, pattern string) error) error {
	return chi.Walk(s.router, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		return fn(method, route)
	})
}

// Package api serves billtriage over HTTP with chi: JSON endpoints under
// /v1, health probes, and problem+json errors (RFC 9457) that name the bad
// field. It is the only package that imports chi.
package api

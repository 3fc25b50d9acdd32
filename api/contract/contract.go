// Package contract checks HTTP exchanges with the API against its OpenAPI
// document (api.OpenAPI), so the document stays true: the API tests route
// their client through a Transport, and a request the server accepts but
// the document refuses, or a response the document does not describe,
// fails the test that made it. Only tests import this package, so
// kin-openapi never reaches the binary.
package contract

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/billtriage/billtriage/api"
)

// Load parses and validates the served document.
func Load() (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(api.OpenAPI())
	if err != nil {
		return nil, fmt.Errorf("load the OpenAPI document: %w", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("the OpenAPI document is invalid: %w", err)
	}
	return doc, nil
}

// Transport is an http.RoundTripper that sends each request through Base
// and then checks the exchange against the document. A mismatch is
// returned as the round trip's error, so the client call fails in the test
// that made it, with the method, path, status and what did not match.
type Transport struct {
	// Base sends the requests; http.DefaultTransport when nil.
	Base http.RoundTripper
	// Skip, when set, exempts requests that are not part of the JSON API;
	// NewTransport sets it to UIPath.
	Skip func(*http.Request) bool

	doc     *openapi3.T
	router  routers.Router
	problem *openapi3.Schema
	opts    *openapi3filter.Options
	checked atomic.Int64
}

// UIPath reports whether path belongs to the HTML UI served beside the
// JSON API (its pages, and / that leads to them), which the document does
// not describe.
func UIPath(path string) bool { return path == "/" || path == "/ui" || strings.HasPrefix(path, "/ui/") }

// NewTransport loads the document and returns a Transport over base that
// skips the UI's pages.
func NewTransport(base http.RoundTripper) (*Transport, error) {
	doc, err := Load()
	if err != nil {
		return nil, err
	}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		return nil, err
	}
	problem := doc.Components.Schemas["Problem"]
	if problem == nil || problem.Value == nil {
		return nil, errors.New("the OpenAPI document has no Problem schema")
	}
	opts := &openapi3filter.Options{
		// The server checks keys itself; the document only says where a
		// key goes, and 401 is a documented answer to a missing one.
		AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
		// Every status the server answers must be documented for its
		// operation, errors included.
		IncludeResponseStatus: true,
	}
	// kin-openapi's schema errors print the whole schema and value; the
	// JSON pointer and the reason are what a failing test needs.
	opts.WithCustomSchemaErrorFunc(shortSchemaError)
	skip := func(r *http.Request) bool { return UIPath(r.URL.Path) }
	return &Transport{Base: base, Skip: skip, doc: doc, router: router, problem: problem.Value, opts: opts}, nil
}

// Checked is how many exchanges were checked against the document, so a
// test can prove its requests go through the Transport.
func (t *Transport) Checked() int64 { return t.checked.Load() }

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	if t.Skip != nil && t.Skip(req) {
		return base.RoundTrip(req)
	}
	var reqBody []byte
	if req.Body != nil && req.Body != http.NoBody {
		var err error
		reqBody, err = io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
	}
	sent := withBody(req, reqBody)
	resp, err := base.RoundTrip(sent)
	if err != nil {
		return nil, err
	}
	respBody, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	resp.Request = req
	if err := t.check(withBody(req, reqBody), resp, respBody); err != nil {
		return nil, fmt.Errorf("openapi contract: %s %s → %d: %w", req.Method, req.URL.RequestURI(), resp.StatusCode, err)
	}
	t.checked.Add(1)
	return resp, nil
}

// withBody returns a copy of req that reads body afresh, so the server and
// the validator each get the whole body.
func withBody(req *http.Request, body []byte) *http.Request {
	c := req.Clone(req.Context())
	if body == nil {
		c.Body = http.NoBody
		return c
	}
	c.Body = io.NopCloser(bytes.NewReader(body))
	c.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	c.ContentLength = int64(len(body))
	return c
}

func (t *Transport) check(req *http.Request, resp *http.Response, body []byte) error {
	ctx := context.Background()
	route, params, err := t.router.FindRoute(req)
	if err != nil {
		// Not an operation of the document: the server must refuse it
		// with a problem (404 for an unknown path, 405 for a method the
		// path lacks, 401 first under /v1). That every served route is
		// documented is the route test's job.
		return t.checkProblem(resp, body, "undocumented "+err.Error())
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: t.opts}
	// A request the document refuses is fine when the server refused it
	// too (the tests send bad input on purpose); one the server accepted
	// means the document is stricter than the API.
	if err := openapi3filter.ValidateRequest(ctx, in); err != nil && resp.StatusCode < 400 {
		return fmt.Errorf("the server accepted a request the document refuses: %w", err)
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode,
		Header: resp.Header, Body: io.NopCloser(bytes.NewReader(body)), Options: t.opts}
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		return fmt.Errorf("the response does not match the document: %w", err)
	}
	return nil
}

func (t *Transport) checkProblem(resp *http.Response, body []byte, why string) error {
	if resp.StatusCode < 400 {
		return fmt.Errorf("%s answered %d: a served route is missing from the document", why, resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
		return fmt.Errorf("%s: error content type %q, want application/problem+json", why, ct)
	}
	v, err := decodeJSON(body)
	if err != nil {
		return fmt.Errorf("%s: problem body is not JSON: %w", why, err)
	}
	if err := t.problem.VisitJSON(v, openapi3.VisitAsResponse(), openapi3.SetSchemaErrorMessageCustomizer(shortSchemaError)); err != nil {
		return fmt.Errorf("%s: the body is not a Problem: %w", why, err)
	}
	return nil
}

// shortSchemaError says where and why a value failed its schema, without
// the schema and value kin-openapi prints by default.
func shortSchemaError(err *openapi3.SchemaError) string {
	return fmt.Sprintf("at /%s: %s", strings.Join(err.JSONPointer(), "/"), err.Reason)
}

func decodeJSON(b []byte) (any, error) {
	var v any
	err := json.Unmarshal(b, &v)
	return v, err
}

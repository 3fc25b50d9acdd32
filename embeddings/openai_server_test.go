package embeddings_test

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// embedRequest is the JSON body of POST /embeddings as OpenAI documents
// it; decoding it strictly checks what go-openai actually sends.
type embedRequest struct {
	Input          []string `json:"input"`
	Model          string   `json:"model"`
	Dimensions     int      `json:"dimensions"`
	EncodingFormat string   `json:"encoding_format"`
}

// embedServer is a real HTTP server speaking the OpenAI embeddings API on
// 127.0.0.1. Its fields select how it misbehaves; set them before use.
type embedServer struct {
	t    *testing.T
	srv  *httptest.Server
	path string
	// apiVersion, when set, is the expected api-version query parameter.
	apiVersion string
	// auth is the expected value of the authHeader header.
	authHeader, auth string
	// dimsDelta changes the length of every returned vector.
	dimsDelta int
	// countDelta drops (negative) or duplicates (positive) embeddings.
	countDelta int
	// status, when set, is returned with an OpenAI error body carrying
	// message.
	status  int
	message string
	// delay is how long to wait before answering.
	delay time.Duration
	// order is "" (in order), "reverse" or "noindex" (index omitted).
	order string
	// badIndex, when set, replaces the first embedding's index.
	badIndex *int
	// zero returns all-zero vectors.
	zero bool

	mu       sync.Mutex
	requests []embedRequest
}

// newEmbedServer starts a server answering at /v1/embeddings with bearer
// key "test-key".
func newEmbedServer(t *testing.T) *embedServer {
	s := &embedServer{t: t, path: "/v1/embeddings", authHeader: "Authorization", auth: "Bearer test-key"}
	s.srv = httptest.NewServer(http.HandlerFunc(s.handle))
	t.Cleanup(s.srv.Close)
	return s
}

// baseURL is what OpenAIConfig.BaseURL should be set to.
func (s *embedServer) baseURL() string { return s.srv.URL + "/v1" }

func (s *embedServer) recorded() []embedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

func (s *embedServer) handle(w http.ResponseWriter, r *http.Request) {
	req, ok := s.decode(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	s.requests = append(s.requests, req)
	s.mu.Unlock()
	select {
	case <-time.After(s.delay):
	case <-r.Context().Done():
		return
	}
	if s.status != 0 {
		writeJSON(w, s.status, map[string]any{"error": map[string]any{"message": s.message, "type": "server_error"}})
		return
	}
	writeJSON(w, http.StatusOK, s.response(req))
}

// decode checks method, path and credentials and parses the body; it
// answers 400 itself when something is off.
func (s *embedServer) decode(w http.ResponseWriter, r *http.Request) (embedRequest, bool) {
	var req embedRequest
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(&req)
	switch {
	case r.Method != http.MethodPost || r.URL.Path != s.path:
		err = fmt.Errorf("unexpected %s %s", r.Method, r.URL.Path)
	case r.URL.Query().Get("api-version") != s.apiVersion:
		err = fmt.Errorf("api-version %q, want %q", r.URL.Query().Get("api-version"), s.apiVersion)
	case r.Header.Get(s.authHeader) != s.auth:
		err = fmt.Errorf("%s header %q, want %q", s.authHeader, r.Header.Get(s.authHeader), s.auth)
	}
	if err != nil {
		s.t.Errorf("bad request: %v", err)
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]any{"message": err.Error()}})
		return req, false
	}
	return req, true
}

// response answers req with fakeVector of each input, shaped by the
// server's misbehaviour fields.
func (s *embedServer) response(req embedRequest) map[string]any {
	var data []map[string]any
	for i, text := range req.Input {
		v := fakeVector(text, req.Dimensions+s.dimsDelta)
		if s.zero {
			clear(v)
		}
		data = append(data, map[string]any{"object": "embedding", "index": i, "embedding": v})
	}
	switch {
	case s.countDelta < 0:
		data = data[:len(data)+s.countDelta]
	case s.countDelta > 0:
		data = append(data, data[:s.countDelta]...)
	}
	switch s.order {
	case "reverse":
		slices.Reverse(data)
	case "noindex":
		for _, d := range data {
			delete(d, "index")
		}
	}
	if s.badIndex != nil {
		data[0]["index"] = *s.badIndex
	}
	return map[string]any{"object": "list", "data": data, "model": req.Model,
		"usage": map[string]int{"prompt_tokens": len(req.Input), "total_tokens": len(req.Input)}}
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// fakeVector is a deterministic, deliberately unnormalised vector that
// identifies text, so tests can check both order and normalisation.
func fakeVector(text string, dims int) []float32 {
	h := fnv.New32a()
	h.Write([]byte(text))
	seed := h.Sum32()
	v := make([]float32, max(dims, 0))
	for j := range v {
		v[j] = float32(int((seed+uint32(j)*2654435761)%1000)-500) / 10
	}
	return v
}

// unitFakeVector is fakeVector normalised, what Embed should return.
func unitFakeVector(text string, dims int) []float32 {
	v := fakeVector(text, dims)
	n := norm(v)
	for i := range v {
		v[i] = float32(float64(v[i]) / n)
	}
	return v
}

// numberedTexts returns n distinct texts.
func numberedTexts(n int) []string {
	texts := make([]string, n)
	for i := range texts {
		texts[i] = fmt.Sprintf("billing exception %d: %s", i, strings.Repeat("x", i%5))
	}
	return texts
}

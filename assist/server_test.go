package assist_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/billtriage/billtriage/assist"
	"github.com/billtriage/billtriage/disputes/email"
	"github.com/billtriage/billtriage/triage"
)

const chatModel = "gpt-4o-mini"

// disputeEmail is a dispute as the parser hands it over, personal data
// included; tests redact it as the intake does.
const disputeEmail = "Hello, this is jane.doe@acme.example (call +1 555 123 4567).\n" +
	"We were charged twice for INV-10042: $1,180.00 on 2025-03-03 and again on 2025-03-04. Please refund one."

var testReasons = []string{"duplicate_charge", "price_change"}

// chatRequest is the JSON body of POST /chat/completions as OpenAI
// documents it; decoding it strictly checks what go-openai actually sends.
type chatRequest struct {
	Model          string        `json:"model"`
	Messages       []chatMessage `json:"messages"`
	Temperature    *float64      `json:"temperature"`
	Stream         bool          `json:"stream"`
	ResponseFormat *struct {
		Type       string `json:"type"`
		JSONSchema *struct {
			Name   string          `json:"name"`
			Schema json.RawMessage `json:"schema"`
			Strict bool            `json:"strict"`
		} `json:"json_schema"`
	} `json:"response_format"`
}

type chatMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// chatServer is a real HTTP server speaking the OpenAI chat completions
// API on 127.0.0.1. Set its fields before use.
type chatServer struct {
	t   *testing.T
	srv *httptest.Server
	// path, apiVersion, authHeader and auth are what requests must carry.
	path, apiVersion, authHeader, auth string
	// content is the assistant message returned; refusal and finish
	// replace the message's refusal and the finish reason; noChoices
	// returns an empty choice list.
	content, refusal, finish string
	noChoices                bool
	// status, when set, is returned with an OpenAI error body carrying
	// message.
	status  int
	message string
	// delay is how long to wait before answering.
	delay time.Duration

	mu       sync.Mutex
	requests []chatRequest
}

// newChatServer starts a server answering at /v1/chat/completions with
// bearer key "test-key" and a valid answer about disputeEmail.
func newChatServer(t *testing.T) *chatServer {
	s := &chatServer{t: t, path: "/v1/chat/completions", authHeader: "Authorization", auth: "Bearer test-key",
		content: answerJSON("Charged twice for INV-10042.", "duplicate_charge", []string{"INV-10042"},
			[]triage.AssistAmount{{Value: 1180, Currency: "USD"}})}
	s.srv = httptest.NewServer(http.HandlerFunc(s.handle))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *chatServer) config() assist.Config {
	return assist.Config{BaseURL: s.srv.URL + "/v1", APIKey: "test-key", Model: chatModel}
}

// only returns the single request the server received.
func (s *chatServer) only() chatRequest {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.requests) != 1 {
		s.t.Fatalf("server got %d requests, want 1", len(s.requests))
	}
	return s.requests[0]
}

func (s *chatServer) handle(w http.ResponseWriter, r *http.Request) {
	req, err := s.decode(r)
	if err != nil {
		s.t.Errorf("bad request: %v", err)
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]any{"message": err.Error()}})
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

// decode checks method, path and credentials and parses the body strictly.
func (s *chatServer) decode(r *http.Request) (chatRequest, error) {
	var req chatRequest
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
	return req, err
}

func (s *chatServer) response(req chatRequest) map[string]any {
	message := map[string]any{"role": "assistant", "content": s.content}
	if s.refusal != "" {
		message = map[string]any{"role": "assistant", "refusal": s.refusal}
	}
	finish := "stop"
	if s.finish != "" {
		finish = s.finish
	}
	choices := []map[string]any{{"index": 0, "message": message, "finish_reason": finish}}
	if s.noChoices {
		choices = nil
	}
	return map[string]any{"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": req.Model,
		"choices": choices, "usage": map[string]int{"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}}
}

// answerJSON is a well-formed model answer.
func answerJSON(summary, reason string, ids []string, amounts []triage.AssistAmount) string {
	if ids == nil {
		ids = []string{}
	}
	if amounts == nil {
		amounts = []triage.AssistAmount{}
	}
	b, err := json.Marshal(map[string]any{"summary": summary, "reason": reason, "invoice_ids": ids, "amounts": amounts})
	if err != nil {
		panic(err)
	}
	return string(b)
}

func newAssistant(t *testing.T, cfg assist.Config) *assist.Assistant {
	t.Helper()
	a, err := assist.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return a
}

// redacted is disputeEmail as the intake sends it.
func redacted() string {
	text, _ := email.Redact(disputeEmail)
	return text
}

// writeJSON answers with body as JSON and the given status.
func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

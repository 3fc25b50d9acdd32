// Package openaiapi is what the two adapters of an OpenAI-compatible API
// share: the embeddings adapter (package embeddings) and the chat assist
// (package assist). Both talk to the same kind of server with the same
// key, so the endpoint is checked, the go-openai client built and the key
// kept out of errors in one place; each adapter still imports go-openai
// for the requests of its own endpoint.
package openaiapi

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// Endpoint is where an adapter sends its requests and how it
// authenticates.
type Endpoint struct {
	// BaseURL is the API root including the version path, e.g.
	// "https://api.openai.com/v1" or "http://localhost:11434/v1"; empty
	// means OpenAI. For Azure it is the resource endpoint.
	BaseURL string
	// APIKey is sent as a bearer token (as the api-key header for Azure).
	APIKey string
	// AzureAPIVersion switches to Azure OpenAI with this api-version.
	AzureAPIVersion string
	// Timeout is what the adapter allows one request; the client's own
	// timeout is one second longer.
	Timeout time.Duration
}

// Check rejects an endpoint that would fail on every request, so that a
// typo surfaces at startup rather than on the first request.
func (e Endpoint) Check() error {
	if e.AzureAPIVersion != "" && e.BaseURL == "" {
		return errors.New("azure needs the resource endpoint as base URL")
	}
	if e.BaseURL == "" {
		return nil
	}
	u, err := url.Parse(e.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("base URL %q is not an absolute http(s) URL", e.BaseURL)
	}
	return nil
}

// Client builds the go-openai client. The Azure deployment name is used
// verbatim: go-openai's default mapper strips dots and colons, which are
// legal in deployment names.
func (e Endpoint) Client() *openai.Client {
	var c openai.ClientConfig
	if e.AzureAPIVersion != "" {
		c = openai.DefaultAzureConfig(e.APIKey, e.BaseURL)
		c.APIVersion = e.AzureAPIVersion
		c.AzureModelMapperFunc = func(model string) string { return model }
	} else {
		c = openai.DefaultConfig(e.APIKey)
		if e.BaseURL != "" {
			c.BaseURL = e.BaseURL
		}
	}
	// The per-request context carries the timeout; the client's own
	// timeout is a backstop should a transport ignore the context.
	c.HTTPClient = &http.Client{Timeout: e.Timeout + time.Second}
	return openai.NewClientWithConfig(c)
}

// maxErrorText bounds the server text kept in an error; an HTML error
// page from a proxy should not flood the logs.
const maxErrorText = 512

// redactedError hides the API key in a client error's text. Servers echo
// request details back, and the go-openai errors include the response
// body, so the key could otherwise end up in logs. Unwrap still exposes
// the original so that errors.Is(err, context.DeadlineExceeded) works.
type redactedError struct {
	msg string
	err error
}

// Error is the redacted text.
func (e *redactedError) Error() string { return e.msg }

// Unwrap returns the client's error, key and all, for errors.Is.
func (e *redactedError) Unwrap() error { return e.err }

// Redact wraps a client error so that its text contains neither the
// endpoint's API key nor more than 512 bytes.
func (e Endpoint) Redact(err error) error {
	msg := err.Error()
	if e.APIKey != "" {
		msg = strings.ReplaceAll(msg, e.APIKey, "[redacted]")
	}
	if len(msg) > maxErrorText {
		msg = strings.ToValidUTF8(msg[:maxErrorText], "") + "…"
	}
	return &redactedError{msg: msg, err: err}
}

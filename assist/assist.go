package assist

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/billtriage/billtriage/internal/openaiapi"
	"github.com/billtriage/billtriage/triage"
)

// DefaultTimeout bounds one assist request when Config.Timeout
// is zero. An agent is waiting, and the local path decides without the
// assist, so a slow model is dropped rather than waited for.
const DefaultTimeout = 2 * time.Second

// Limits on what an Assistant sends and accepts.
const (
	// MaxSummary is the longest summary kept, in characters.
	MaxSummary = 600
	// MaxAmounts is the most amounts an answer may carry.
	MaxAmounts = 20
	// MaxInvoiceIDs is the most invoice ids an answer may carry.
	MaxInvoiceIDs = 100
	// MaxInput is the most bytes of email text sent: the new text of
	// a dispute is a few kilobytes, and a whole pasted thread would only
	// cost tokens and time.
	MaxInput = 32 << 10
	// maxReasonCodes bounds the reason enum, which is part of every prompt.
	maxReasonCodes = 200
)

// Config configures the chat model behind an Assistant. It is filled
// in by the caller (cmd/), never from the environment here.
type Config struct {
	// BaseURL is the API root as in embeddings.OpenAIConfig: empty for OpenAI, e.g.
	// "http://localhost:11434/v1" for Ollama, or the resource endpoint for
	// Azure.
	BaseURL string
	// APIKey is sent as a bearer token (as the api-key header for Azure).
	// It may be empty for local servers and never appears in errors.
	APIKey string
	// Model is the chat model, or the deployment name for Azure. It must
	// support structured outputs (JSON schema response formats).
	Model string
	// Timeout bounds each request; zero means DefaultTimeout.
	Timeout time.Duration
	// AzureAPIVersion switches to Azure OpenAI with this api-version.
	AzureAPIVersion string
}

// Assistant implements triage.Assistant with one chat completion per
// dispute through an OpenAI-compatible /chat/completions endpoint. The
// email is sent as delimited data with a JSON schema for the answer, and
// the answer is validated field by field, because neither the model nor
// the text it read can be trusted. It is safe for concurrent use.
type Assistant struct {
	client  *openai.Client
	model   string
	timeout time.Duration
	// endpoint keeps the API key out of errors.
	endpoint openaiapi.Endpoint
}

var _ triage.Assistant = (*Assistant)(nil)

// New validates cfg and returns an Assistant. It makes no
// request: an unreachable server shows up on the first Assist.
func New(cfg Config) (*Assistant, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("assist: config: %w", err)
	}
	return &Assistant{
		client:   cfg.endpoint().Client(),
		model:    cfg.Model,
		timeout:  cfg.Timeout,
		endpoint: cfg.endpoint(),
	}, nil
}

// withDefaults validates cfg and fills in the default timeout.
func (cfg Config) withDefaults() (Config, error) {
	cfg.Model = strings.TrimSpace(cfg.Model)
	switch {
	case cfg.Model == "":
		return cfg, errors.New("model is required")
	case cfg.Timeout < 0:
		return cfg, fmt.Errorf("negative timeout %v", cfg.Timeout)
	}
	if err := cfg.endpoint().Check(); err != nil {
		return cfg, err
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	return cfg, nil
}

// endpoint is the server part of cfg, shared in form with the embeddings
// adapter.
func (cfg Config) endpoint() openaiapi.Endpoint {
	return openaiapi.Endpoint{BaseURL: cfg.BaseURL, APIKey: cfg.APIKey, AzureAPIVersion: cfg.AzureAPIVersion, Timeout: cfg.Timeout}
}

// Assist asks the model for a summary, a reason code, the invoice ids and
// the amounts of redactedText, which must already be free of personal
// data (see email.Redact). reasons are the codes the model may choose;
// codes that are not plain identifiers are dropped, so that a free-text
// code from the history cannot smuggle instructions into the prompt. Any
// transport failure or invalid answer is an error, and the caller then
// goes on without the assist.
func (a *Assistant) Assist(ctx context.Context, redactedText string, reasons []string) (triage.Assist, error) {
	codes := reasonCodes(reasons)
	text := emailData(redactedText)
	content, err := a.complete(ctx, a.request(text, codes))
	if err != nil {
		return triage.Assist{}, fmt.Errorf("assist: %s: %w", a.model, err)
	}
	out, err := parseAnswer(content, text, codes)
	if err != nil {
		return triage.Assist{}, fmt.Errorf("assist: %s: answer refused: %w", a.model, err)
	}
	out.Model = a.model
	return out, nil
}

// complete sends req under the configured timeout and returns the text of
// the first choice.
func (a *Assistant) complete(ctx context.Context, req openai.ChatCompletionRequest) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, a.timeout)
	defer cancel()
	resp, err := a.client.CreateChatCompletion(ctx, req)
	if err != nil {
		return "", a.endpoint.Redact(err)
	}
	if len(resp.Choices) == 0 {
		return "", errors.New("no choices in the response")
	}
	switch c := resp.Choices[0]; {
	case c.Message.Refusal != "":
		return "", errors.New("the model refused")
	case c.FinishReason == openai.FinishReasonLength:
		return "", errors.New("the answer was cut off at the token limit")
	case c.FinishReason == openai.FinishReasonContentFilter:
		return "", errors.New("the answer was withheld by a content filter")
	default:
		return c.Message.Content, nil
	}
}

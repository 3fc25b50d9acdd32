package embeddings

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/billtriage/billtriage/internal/openaiapi"
)

// Defaults and limits for OpenAIConfig.
const (
	// DefaultOpenAIBatchSize keeps a request of typical exception texts
	// well under OpenAI's per-request input and token limits, and a failed
	// request cheap to retry.
	DefaultOpenAIBatchSize = 96
	// MaxOpenAIBatchSize is OpenAI's per-request input limit.
	MaxOpenAIBatchSize = 2048
	// DefaultOpenAITimeout bounds one batch request.
	DefaultOpenAITimeout = 30 * time.Second
	// MaxOpenAIDims is pgvector's limit for the vector type.
	MaxOpenAIDims = 16000
)

// OpenAIConfig configures an OpenAI-compatible embeddings endpoint. It is
// filled in by the caller (cmd/), never from the environment here.
type OpenAIConfig struct {
	// BaseURL is the API root including the version path, e.g.
	// "https://api.openai.com/v1" or "http://localhost:11434/v1" for
	// Ollama. Empty means OpenAI. With AzureAPIVersion set it is the
	// resource endpoint, e.g. "https://NAME.openai.azure.com", and is
	// required.
	BaseURL string
	// APIKey is sent as a bearer token (as the api-key header for Azure).
	// It may be empty for local servers and never appears in errors.
	APIKey string
	// Model is the model name, or the deployment name for Azure (which then
	// appears in Name: name deployments after their model).
	Model string
	// Dims is the vector length the database column is declared with. It
	// is always sent as the request's "dimensions" so that models with
	// Matryoshka embeddings (text-embedding-3-*) shorten their output;
	// models with a fixed size must be configured with exactly that size,
	// because every response is checked against Dims.
	Dims int
	// Timeout bounds each batch request; zero means DefaultOpenAITimeout.
	Timeout time.Duration
	// BatchSize is the number of texts per request; zero means
	// DefaultOpenAIBatchSize.
	BatchSize int
	// AzureAPIVersion switches to Azure OpenAI with this api-version,
	// e.g. "2024-02-01".
	AzureAPIVersion string
}

// withDefaults validates cfg and fills in the zero values that have a
// default.
func (cfg OpenAIConfig) withDefaults() (OpenAIConfig, error) {
	cfg.Model = strings.TrimSpace(cfg.Model)
	switch {
	case cfg.Model == "":
		return cfg, errors.New("model is required")
	case cfg.Dims < 1 || cfg.Dims > MaxOpenAIDims:
		return cfg, fmt.Errorf("dims %d out of range [1, %d]: the vector column needs a fixed size", cfg.Dims, MaxOpenAIDims)
	case cfg.Timeout < 0:
		return cfg, fmt.Errorf("negative timeout %v", cfg.Timeout)
	case cfg.BatchSize < 0 || cfg.BatchSize > MaxOpenAIBatchSize:
		return cfg, fmt.Errorf("batch size %d out of range [1, %d]", cfg.BatchSize, MaxOpenAIBatchSize)
	}
	if err := cfg.endpoint().Check(); err != nil {
		return cfg, err
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultOpenAITimeout
	}
	if cfg.BatchSize == 0 {
		cfg.BatchSize = DefaultOpenAIBatchSize
	}
	return cfg, nil
}

// endpoint is the server part of cfg, which the chat assist shares.
func (cfg OpenAIConfig) endpoint() openaiapi.Endpoint {
	return openaiapi.Endpoint{BaseURL: cfg.BaseURL, APIKey: cfg.APIKey, AzureAPIVersion: cfg.AzureAPIVersion, Timeout: cfg.Timeout}
}

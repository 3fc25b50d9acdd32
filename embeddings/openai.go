package embeddings

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/billtriage/billtriage/internal/openaiapi"
)

// emptyInput replaces empty and whitespace-only texts, which the OpenAI
// API rejects; it mirrors the "<empty>" token of Local.
const emptyInput = "<empty>"

// OpenAI embeds texts through an OpenAI-compatible /embeddings endpoint
// (OpenAI, Azure OpenAI, Ollama, vLLM, LiteLLM, ...). It is safe for
// concurrent use.
type OpenAI struct {
	client  *openai.Client
	model   string
	dims    int
	timeout time.Duration
	batch   int
	// endpoint keeps the API key out of errors.
	endpoint openaiapi.Endpoint
}

// NewOpenAI validates cfg and returns an embedder for it. It makes no
// request: an unreachable server shows up on the first Embed.
func NewOpenAI(cfg OpenAIConfig) (*OpenAI, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("embeddings: openai config: %w", err)
	}
	return &OpenAI{
		client:   cfg.endpoint().Client(),
		model:    cfg.Model,
		dims:     cfg.Dims,
		timeout:  cfg.Timeout,
		batch:    cfg.BatchSize,
		endpoint: cfg.endpoint(),
	}, nil
}

// Name is "openai:<model>:<dims>". The host is left out on purpose: the
// same model served by OpenAI, Azure or a proxy yields the same vectors,
// and moving hosts must not orphan stored embeddings.
func (o *OpenAI) Name() string {
	return "openai:" + o.model + ":" + strconv.Itoa(o.dims)
}

// Dims returns the configured vector length.
func (o *OpenAI) Dims() int { return o.dims }

// Embed returns one unit vector per text, in order, sending BatchSize
// texts per request. Any failed batch fails the whole call.
func (o *OpenAI) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for lo := 0; lo < len(texts); lo += o.batch {
		hi := min(lo+o.batch, len(texts))
		if err := o.embedBatch(ctx, texts[lo:hi], out[lo:hi]); err != nil {
			return nil, fmt.Errorf("embeddings: %s: texts %d..%d of %d: %w", o.Name(), lo, hi-1, len(texts), err)
		}
	}
	return out, nil
}

// embedBatch embeds texts with one request and writes the checked,
// normalised vectors to out.
func (o *OpenAI) embedBatch(ctx context.Context, texts []string, out [][]float32) error {
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	resp, err := o.client.CreateEmbeddings(ctx, openai.EmbeddingRequestStrings{
		Input:      requestInputs(texts),
		Model:      openai.EmbeddingModel(o.model),
		Dimensions: o.dims,
	})
	if err != nil {
		return o.endpoint.Redact(err)
	}
	return placeVectors(resp.Data, o.dims, out)
}

// requestInputs copies texts, replacing those the API would reject.
func requestInputs(texts []string) []string {
	in := make([]string, len(texts))
	for i, t := range texts {
		if strings.TrimSpace(t) == "" {
			t = emptyInput
		}
		in[i] = t
	}
	return in
}

package embeddings_test

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/embeddings"
)

var _ embedder = (*embeddings.OpenAI)(nil)

const testModel = "text-embedding-3-small"

func newOpenAI(t *testing.T, cfg embeddings.OpenAIConfig) *embeddings.OpenAI {
	t.Helper()
	o, err := embeddings.NewOpenAI(cfg)
	if err != nil {
		t.Fatalf("NewOpenAI: %v", err)
	}
	return o
}

// serverConfig is a valid config pointing at s.
func serverConfig(s *embedServer, dims int) embeddings.OpenAIConfig {
	return embeddings.OpenAIConfig{BaseURL: s.baseURL(), APIKey: "test-key", Model: testModel, Dims: dims}
}

func TestNewOpenAIValidation(t *testing.T) {
	valid := embeddings.OpenAIConfig{Model: testModel, Dims: 256}
	tests := []struct {
		name    string
		edit    func(*embeddings.OpenAIConfig)
		wantErr string
	}{
		{"minimal", func(*embeddings.OpenAIConfig) {}, ""},
		{"local server", func(c *embeddings.OpenAIConfig) { c.BaseURL = "http://127.0.0.1:11434/v1" }, ""},
		{"azure", func(c *embeddings.OpenAIConfig) {
			c.BaseURL, c.AzureAPIVersion = "https://x.openai.azure.com", "2024-02-01"
		}, ""},
		{"no model", func(c *embeddings.OpenAIConfig) { c.Model = " " }, "model is required"},
		{"no dims", func(c *embeddings.OpenAIConfig) { c.Dims = 0 }, "dims 0"},
		{"negative dims", func(c *embeddings.OpenAIConfig) { c.Dims = -3 }, "dims -3"},
		{"too many dims", func(c *embeddings.OpenAIConfig) { c.Dims = 16001 }, "dims 16001"},
		{"negative timeout", func(c *embeddings.OpenAIConfig) { c.Timeout = -time.Second }, "timeout"},
		{"negative batch", func(c *embeddings.OpenAIConfig) { c.BatchSize = -1 }, "batch size"},
		{"huge batch", func(c *embeddings.OpenAIConfig) { c.BatchSize = 5000 }, "batch size"},
		{"azure without endpoint", func(c *embeddings.OpenAIConfig) { c.AzureAPIVersion = "2024-02-01" }, "azure"},
		{"relative base URL", func(c *embeddings.OpenAIConfig) { c.BaseURL = "localhost:8080/v1" }, "base URL"},
		{"wrong scheme", func(c *embeddings.OpenAIConfig) { c.BaseURL = "ftp://example.com" }, "base URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := valid
			cfg.APIKey = "sk-secret"
			tt.edit(&cfg)
			o, err := embeddings.NewOpenAI(cfg)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("NewOpenAI: %v", err)
				}
				if o.Name() != "openai:"+testModel+":256" || o.Dims() != 256 {
					t.Errorf("Name() = %q, Dims() = %d", o.Name(), o.Dims())
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("NewOpenAI error = %v, want it to mention %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "sk-secret") {
				t.Errorf("error leaks the API key: %v", err)
			}
		})
	}
}

func TestOpenAIBatching(t *testing.T) {
	tests := []struct {
		name      string
		texts     int
		batchSize int
		want      []int
	}{
		{"default batch size", 250, 0, []int{96, 96, 58}},
		{"exact multiple", 200, 100, []int{100, 100}},
		{"one text", 1, 0, []int{1}},
		{"no texts", 0, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newEmbedServer(t)
			cfg := serverConfig(s, 64)
			cfg.BatchSize = tt.batchSize
			texts := numberedTexts(tt.texts)
			vs, err := newOpenAI(t, cfg).Embed(context.Background(), texts)
			if err != nil {
				t.Fatalf("Embed: %v", err)
			}
			checkRequests(t, s.recorded(), texts, tt.want, 64)
			checkVectors(t, vs, texts, 64)
		})
	}
}

// checkRequests verifies batch sizes and that every request carried the
// model, the dimensions and the texts in order.
func checkRequests(t *testing.T, reqs []embedRequest, texts []string, sizes []int, dims int) {
	t.Helper()
	if len(reqs) != len(sizes) {
		t.Fatalf("%d requests, want %d", len(reqs), len(sizes))
	}
	next := 0
	for i, req := range reqs {
		if len(req.Input) != sizes[i] || req.Model != testModel || req.Dimensions != dims {
			t.Errorf("request %d: %d inputs, model %q, dimensions %d; want %d, %q, %d",
				i, len(req.Input), req.Model, req.Dimensions, sizes[i], testModel, dims)
			continue
		}
		for j, in := range req.Input {
			if in != texts[next+j] {
				t.Errorf("request %d input %d = %q, want %q", i, j, in, texts[next+j])
			}
		}
		next += sizes[i]
	}
}

// checkVectors verifies that vs are the normalised fake vectors of texts,
// in order.
func checkVectors(t *testing.T, vs [][]float32, texts []string, dims int) {
	t.Helper()
	if len(vs) != len(texts) {
		t.Fatalf("%d vectors for %d texts", len(vs), len(texts))
	}
	for i, v := range vs {
		if n := norm(v); math.Abs(n-1) > unitTolerance {
			t.Errorf("vector %d has norm %v", i, n)
		}
		if c := cosine(v, unitFakeVector(texts[i], dims)); c < 1-1e-6 {
			t.Errorf("vector %d is not the server's vector for %q (cosine %v)", i, texts[i], c)
		}
	}
}

func TestOpenAIResponseOrder(t *testing.T) {
	for _, order := range []string{"reverse", "noindex"} {
		t.Run(order, func(t *testing.T) {
			s := newEmbedServer(t)
			s.order = order
			texts := numberedTexts(5)
			vs, err := newOpenAI(t, serverConfig(s, 32)).Embed(context.Background(), texts)
			if err != nil {
				t.Fatalf("Embed: %v", err)
			}
			checkVectors(t, vs, texts, 32)
		})
	}
}

func TestOpenAIEmptyTextsAreSent(t *testing.T) {
	s := newEmbedServer(t)
	vs, err := newOpenAI(t, serverConfig(s, 16)).Embed(context.Background(), []string{"", " \n", "refund"})
	if err != nil {
		t.Fatalf("Embed: %v", err)
	}
	sent := []string{"<empty>", "<empty>", "refund"}
	checkRequests(t, s.recorded(), sent, []int{3}, 16)
	checkVectors(t, vs, sent, 16)
}

func TestOpenAIServerErrors(t *testing.T) {
	two, minus := 2, -1
	tests := []struct {
		name    string
		setup   func(*embedServer)
		wantErr string
	}{
		{"too few dimensions", func(s *embedServer) { s.dimsDelta = -1 }, "has 7 dimensions, expected 8"},
		{"too many dimensions", func(s *embedServer) { s.dimsDelta = 24 }, "has 32 dimensions, expected 8"},
		{"too few embeddings", func(s *embedServer) { s.countDelta = -1 }, "returned 2 embeddings for 3 inputs"},
		{"too many embeddings", func(s *embedServer) { s.countDelta = 1 }, "returned 4 embeddings for 3 inputs"},
		{"index out of range", func(s *embedServer) { s.badIndex = &minus }, "index -1"},
		{"duplicate index", func(s *embedServer) { s.badIndex = &two }, "index 2 twice"},
		{"zero vectors", func(s *embedServer) { s.zero = true }, "zero or non-finite norm"},
		{"server error", func(s *embedServer) { s.status, s.message = http.StatusInternalServerError, "boom" }, "500"},
		{"rate limited", func(s *embedServer) { s.status, s.message = http.StatusTooManyRequests, "slow down" }, "slow down"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newEmbedServer(t)
			tt.setup(s)
			vs, err := newOpenAI(t, serverConfig(s, 8)).Embed(context.Background(), numberedTexts(3))
			if err == nil {
				t.Fatalf("Embed returned %d vectors, want error", len(vs))
			}
			for _, want := range []string{tt.wantErr, "openai:" + testModel + ":8", "texts 0..2"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not mention %q", err, want)
				}
			}
		})
	}
}

// TestOpenAIErrorsHideKey has the server echo the key, as some do on 401.
func TestOpenAIErrorsHideKey(t *testing.T) {
	s := newEmbedServer(t)
	s.status, s.message = http.StatusUnauthorized, "Incorrect API key provided: test-key"
	_, err := newOpenAI(t, serverConfig(s, 8)).Embed(context.Background(), []string{"x"})
	if err == nil {
		t.Fatal("Embed succeeded, want error")
	}
	if strings.Contains(err.Error(), "test-key") || !strings.Contains(err.Error(), "[redacted]") {
		t.Errorf("error %q should show [redacted] instead of the key", err)
	}
}

func TestOpenAITimeout(t *testing.T) {
	s := newEmbedServer(t)
	s.delay = 5 * time.Second
	cfg := serverConfig(s, 8)
	cfg.Timeout = 100 * time.Millisecond
	start := time.Now()
	_, err := newOpenAI(t, cfg).Embed(context.Background(), []string{"slow"})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Embed error = %v, want context.DeadlineExceeded", err)
	}
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("Embed took %v despite a 100ms timeout", elapsed)
	}
}

func TestOpenAICancelledContext(t *testing.T) {
	s := newEmbedServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := newOpenAI(t, serverConfig(s, 8)).Embed(ctx, []string{"x"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Embed error = %v, want context.Canceled", err)
	}
	if n := len(s.recorded()); n != 0 {
		t.Errorf("%d requests reached the server after cancellation", n)
	}
}

func TestOpenAIAzure(t *testing.T) {
	s := newEmbedServer(t)
	s.path = "/openai/deployments/embed-3.small/embeddings"
	s.authHeader, s.auth = "api-key", "azure-key"
	s.apiVersion = "2024-02-01"
	o := newOpenAI(t, embeddings.OpenAIConfig{
		BaseURL: s.srv.URL, APIKey: "azure-key", Model: "embed-3.small", Dims: 8, AzureAPIVersion: "2024-02-01",
	})
	texts := []string{"refund", "chargeback"}
	vs, err := o.Embed(context.Background(), texts)
	if err != nil {
		t.Fatalf("Embed: %v", err)
	}
	checkVectors(t, vs, texts, 8)
	if o.Name() != "openai:embed-3.small:8" {
		t.Errorf("Name() = %q", o.Name())
	}
}

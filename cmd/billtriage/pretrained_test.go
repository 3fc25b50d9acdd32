package main_test

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/triage/postgres"
	"github.com/billtriage/billtriage/triage/postgres/pgtest"
)

// fakePretrained is an OpenAI-compatible embeddings endpoint that, like a
// pretrained model, knows what words mean: every word of its lexicon
// points along its meaning's axis, whatever its spelling.
func fakePretrained(t *testing.T, lexicon map[string]int, dims int) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var q struct{ Input []string }
		if r.URL.Path != "/embeddings" || json.NewDecoder(r.Body).Decode(&q) != nil {
			http.Error(w, `{"error":{"message":"bad request"}}`, http.StatusBadRequest)
			return
		}
		type item struct {
			Object    string    `json:"object"`
			Index     int       `json:"index"`
			Embedding []float32 `json:"embedding"`
		}
		out := struct {
			Object string `json:"object"`
			Model  string `json:"model"`
			Data   []item `json:"data"`
		}{Object: "list", Model: "fake"}
		for i, text := range q.Input {
			v := make([]float32, dims)
			for _, w := range strings.Fields(text) {
				h := fnv.New32a()
				h.Write([]byte(w))
				v[h.Sum32()%uint32(dims)] += 0.2 // spelling: noise
				if c, ok := lexicon[w]; ok {
					v[c] += 1 // meaning
				}
			}
			out.Data = append(out.Data, item{Object: "embedding", Index: i, Embedding: v})
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(out)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// meaningCases writes n records whose root cause only a pretrained model
// can tell: each uses a made-up word of its cause, never used twice, so
// the history's n-grams say nothing about the test part.
func meaningCases(t *testing.T, path string, n, causes int) map[string]int {
	t.Helper()
	r := rand.New(rand.NewPCG(7, 8))
	lexicon := map[string]int{}
	var recs []dataset.Record
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		c := i % causes
		var b strings.Builder
		for range 8 {
			b.WriteByte(byte('a' + r.IntN(26)))
		}
		word := b.String()
		lexicon[word] = c
		recs = append(recs, dataset.Record{ID: fmt.Sprint("m", i), OccurredAt: start.Add(time.Duration(i) * time.Minute),
			Type: "billing_dispute", Text: "the customer writes about " + word + " on the invoice",
			Resolution: &dataset.Resolution{RootCause: fmt.Sprint("cause_", c), Action: "review", Queue: "support"}})
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := dataset.WriteRecords(f, recs); err != nil {
		t.Fatal(err)
	}
	return lexicon
}

// TestEvalClassifierLearnsFromPretrainedEmbeddings: with
// --classifier-embeddings the classifier decides from what a pretrained
// embedder knows; without it, from the history's words alone, which here
// carry nothing. The run goes through the binary, the embedder's HTTP
// client, the stored vectors and the classifier's dense channel.
func TestEvalClassifierLearnsFromPretrainedEmbeddings(t *testing.T) {
	db, err := postgres.Open(t.Context(), pgtest.URL(), postgres.Options{})
	if err != nil {
		pgtest.Unavailable(t, err)
	}
	db.Close()
	bin := buildBinary(t)
	dir := t.TempDir()
	data := filepath.Join(dir, "meaning.jsonl")
	const causes, dims = 4, 64
	url := fakePretrained(t, meaningCases(t, data, 400, causes), dims)
	accuracy := func(extra ...string) float64 {
		t.Helper()
		out := filepath.Join(dir, fmt.Sprint("run", len(extra)))
		args := append([]string{"eval", "--embedder", "openai", "--openai-base-url", url, "--openai-model", "fake",
			"--embed-dims", fmt.Sprint(dims), "--exceptions", data, "--split", "0.7", "--no-feedback", "--out", out}, extra...)
		_, stderr, code := runCmd(t, bin, args...)
		if code != 0 {
			t.Fatalf("eval %v: exit %d\n%s", extra, code, stderr)
		}
		var m struct {
			RootCause struct{ Accuracy float64 } `json:"root_cause"`
		}
		b, err := os.ReadFile(filepath.Join(out, "metrics.json"))
		if err != nil || json.Unmarshal(b, &m) != nil {
			t.Fatalf("metrics.json: %v\n%s", err, b)
		}
		return m.RootCause.Accuracy
	}
	with, without := accuracy("--classifier-embeddings"), accuracy()
	t.Logf("root-cause accuracy with the embeddings %.3f, without %.3f (chance %.2f)", with, without, 1.0/causes)
	if with < 0.9 {
		t.Errorf("with --classifier-embeddings accuracy %.3f, want ≥ 0.9", with)
	}
	if without > 0.5 {
		t.Errorf("without it accuracy %.3f: the words should tell nothing (chance %.2f); the test no longer isolates the dense channel", without, 1.0/causes)
	}
}

package embeddings

import (
	"fmt"

	openai "github.com/sashabaranov/go-openai"
)

// placeVectors checks a response against the request and writes the
// normalised vectors to out in input order. Responses carry an index per
// embedding and the API does not promise order, so the index decides;
// servers that omit it (every index 0) are taken in response order.
func placeVectors(data []openai.Embedding, dims int, out [][]float32) error {
	if len(data) != len(out) {
		return fmt.Errorf("server returned %d embeddings for %d inputs", len(data), len(out))
	}
	byPosition := allIndexesZero(data)
	for pos, e := range data {
		i := e.Index
		if byPosition {
			i = pos
		}
		if err := placeVector(e.Embedding, i, dims, out); err != nil {
			return err
		}
	}
	return nil
}

// placeVector checks and normalises one embedding and stores it at out[i].
func placeVector(v []float32, i, dims int, out [][]float32) error {
	switch {
	case i < 0 || i >= len(out):
		return fmt.Errorf("server returned embedding index %d for %d inputs", i, len(out))
	case out[i] != nil:
		return fmt.Errorf("server returned embedding index %d twice", i)
	case len(v) != dims:
		return fmt.Errorf("embedding %d has %d dimensions, expected %d (does the model support this size?)", i, len(v), dims)
	case !normalize(v):
		return fmt.Errorf("embedding %d has zero or non-finite norm", i)
	}
	out[i] = v
	return nil
}

// allIndexesZero reports a response whose index fields were all left out.
func allIndexesZero(data []openai.Embedding) bool {
	for _, e := range data {
		if e.Index != 0 {
			return false
		}
	}
	return len(data) > 1
}

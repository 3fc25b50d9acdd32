package embeddings_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/billtriage/billtriage/embeddings"
)

var _ embedder = (*embeddings.Local)(nil)

func newLocal(t testing.TB, dims int) *embeddings.Local {
	t.Helper()
	l, err := embeddings.NewLocal(dims)
	if err != nil {
		t.Fatalf("NewLocal(%d): %v", dims, err)
	}
	return l
}

func TestNewLocalDims(t *testing.T) {
	tests := []struct {
		dims    int
		wantErr bool
	}{
		{-1, true},
		{0, true},
		{63, true},
		{64, false},
		{512, false},
		{1000, false},
		{4096, false},
		{4097, true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.dims), func(t *testing.T) {
			l, err := embeddings.NewLocal(tt.dims)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("NewLocal(%d) succeeded, want error", tt.dims)
				}
				return
			}
			if err != nil {
				t.Fatalf("NewLocal(%d): %v", tt.dims, err)
			}
			if l.Dims() != tt.dims {
				t.Errorf("Dims() = %d, want %d", l.Dims(), tt.dims)
			}
			if want := fmt.Sprintf("local-hash-v1:%d", tt.dims); l.Name() != want {
				t.Errorf("Name() = %q, want %q", l.Name(), want)
			}
		})
	}
}

// localTexts covers ordinary, odd and degenerate inputs.
var localTexts = []string{
	"ERP posting failed: GL account missing for SKU X",
	"Customer disputes duplicate charge on invoice INV-2041 ($1,200.00)",
	"",
	"   \t\n",
	"--- !!! ---",
	"the of and",
	"INV-2041 2024-03-15 $87.13",
	"Zahlung für Rechnung fehlgeschlagen",
	"請求書の支払いが失敗しました",
	"pay\xffment \xc3 failed",
	strings.Repeat("refund requested after cancellation. ", 200),
}

func TestLocalUnitNormAndLength(t *testing.T) {
	for _, dims := range []int{64, 512, 4096} {
		l := newLocal(t, dims)
		vs, err := l.Embed(context.Background(), localTexts)
		if err != nil {
			t.Fatalf("Embed: %v", err)
		}
		if len(vs) != len(localTexts) {
			t.Fatalf("got %d vectors for %d texts", len(vs), len(localTexts))
		}
		for i, v := range vs {
			if len(v) != dims {
				t.Errorf("dims %d text %q: len %d", dims, localTexts[i], len(v))
			}
			if n := norm(v); math.Abs(n-1) > unitTolerance {
				t.Errorf("dims %d text %q: norm %v", dims, localTexts[i], n)
			}
		}
	}
}

func TestLocalDeterministic(t *testing.T) {
	a, b := newLocal(t, 512), newLocal(t, 512)
	first, err := a.Embed(context.Background(), localTexts)
	if err != nil {
		t.Fatal(err)
	}
	// A separate instance, texts one at a time in reverse order: neither
	// instance state nor batch position may leak into a vector.
	for i := len(localTexts) - 1; i >= 0; i-- {
		again, err := b.Embed(context.Background(), []string{localTexts[i]})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(first[i], again[0]) {
			t.Errorf("text %q embedded differently on the second run", localTexts[i])
		}
	}
}

func TestLocalEmptyTexts(t *testing.T) {
	l := newLocal(t, 512)
	vs, err := l.Embed(context.Background(), []string{"", "  ", "?!", "Card payment declined"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(vs[0], vs[1]) || !slices.Equal(vs[0], vs[2]) {
		t.Error("texts without words should share the <empty> vector")
	}
	if c := cosine(vs[0], vs[3]); math.Abs(c) > 0.2 {
		t.Errorf("cosine(empty, real text) = %.3f, want near 0", c)
	}
}

func TestLocalVectorsDoNotAlias(t *testing.T) {
	l := newLocal(t, 64)
	vs, err := l.Embed(context.Background(), []string{"first text", "second text"})
	if err != nil {
		t.Fatal(err)
	}
	second := slices.Clone(vs[1])
	_ = append(vs[0], 42)
	if !slices.Equal(vs[1], second) {
		t.Error("appending to one vector overwrote the next")
	}
}

func TestLocalNoTexts(t *testing.T) {
	vs, err := newLocal(t, 64).Embed(context.Background(), nil)
	if err != nil || len(vs) != 0 {
		t.Errorf("Embed(nil) = %d vectors, %v; want 0, nil", len(vs), err)
	}
}

func TestLocalCancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := newLocal(t, 64).Embed(ctx, []string{"text"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Embed with cancelled ctx: err = %v, want context.Canceled", err)
	}
}

// TestLocalConcurrent shares one Local between goroutines; run with -race.
// Each goroutine must get exactly the sequential result.
func TestLocalConcurrent(t *testing.T) {
	l := newLocal(t, 512)
	want, err := l.Embed(context.Background(), localTexts)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Go(func() {
			for round := range 20 {
				i := (g + round) % len(localTexts)
				got, err := l.Embed(context.Background(), localTexts[i:])
				if err != nil {
					errs <- err
					return
				}
				for j, v := range got {
					if !slices.Equal(v, want[i+j]) {
						errs <- fmt.Errorf("goroutine %d: text %q differs", g, localTexts[i+j])
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

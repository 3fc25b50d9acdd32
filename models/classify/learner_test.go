package classify_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/billtriage/billtriage/models/classify"
	"github.com/billtriage/billtriage/triage"
)

// history is a HistorySource whose examples arrive as the test adds them.
type history struct {
	mu     sync.Mutex
	ex     []classify.Example
	reads  int
	asked  int // the newest the last read asked for
	texts  []string
	labels []string
}

func newHistory(n int) *history {
	texts, labels := corpus(n, 5)
	return &history{texts: texts, labels: labels}
}

// add appends the next n examples of the corpus.
func (h *history) add(n int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for range n {
		i := len(h.ex)
		h.ex = append(h.ex, classify.Example{Text: h.texts[i], Label: h.labels[i]})
	}
}

func (h *history) TrainingExamples(_ context.Context, _ triage.Type, newest int) ([]classify.Example, int, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.reads++
	h.asked = newest
	from := 0
	if newest > 0 {
		from = max(0, len(h.ex)-newest)
	}
	return append([]classify.Example(nil), h.ex[from:]...), len(h.ex), nil
}

func (h *history) readCount() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.reads
}

// Without a Registry a Learner keeps to itself, as before: it retrains
// from the history once RetrainEvery resolutions have been observed (in
// line with Sync, in the background without), and not before.
func TestLearnerWithoutRegistryRetrainsLocally(t *testing.T) {
	for _, sync := range []bool{true, false} {
		t.Run(map[bool]string{true: "sync", false: "background"}[sync], func(t *testing.T) {
			ctx := context.Background()
			h := newHistory(400)
			h.add(100)
			l := &classify.Learner{Source: h, RetrainEvery: 50, Sync: sync}
			if err := l.TrainAll(ctx); err != nil {
				t.Fatal(err)
			}
			typ := triage.ERPPostingFailure
			first, reads := l.Version(), h.readCount()
			if l.Predict(typ, h.texts[0], nil, nil) == nil {
				t.Fatal("no model after TrainAll with 100 examples")
			}
			h.add(49)
			l.Observe(ctx, typ, 49)
			time.Sleep(50 * time.Millisecond) // a background retraining, wrongly started, would show
			if l.Version() != first || h.readCount() != reads {
				t.Fatalf("retrained after 49 of 50 resolutions (version %s, was %s)", l.Version(), first)
			}
			h.add(1)
			l.Observe(ctx, typ, 1)
			deadline := time.Now().Add(10 * time.Second)
			for l.Version() == first && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			if l.Version() == first || h.readCount() != reads+1 {
				t.Fatalf("after 50 resolutions: version %s (was %s), %d history reads, want a new model from one more read",
					l.Version(), first, h.readCount()-reads)
			}
			if v := l.StoredVersion(typ); v != 0 {
				t.Errorf("stored version %d without a registry", v)
			}
		})
	}
}

// A Learner trains each type on its newest MaxExamples resolutions: a
// labelling that changed long ago no longer outvotes the current one once
// the old examples fall outside the cap, and without the cap it would.
func TestLearnerTrainsOnTheNewestMaxExamples(t *testing.T) {
	texts, labels := corpus(300, 7)
	h := &history{}
	for i := range texts {
		label := labels[i]
		if i < 240 { // the old labelling, four times as common
			label = "legacy-" + label
		}
		h.ex = append(h.ex, classify.Example{Text: texts[i], Label: label})
	}
	for _, c := range []struct {
		max  int
		want string
	}{{60, "tax"}, {1000, "legacy-tax"}} {
		l := &classify.Learner{Source: h, MaxExamples: c.max, Sync: true}
		if err := l.TrainAll(context.Background()); err != nil {
			t.Fatal(err)
		}
		got := l.Predict(triage.TaxInconsistency, "vat rate jurisdiction exempt nexus", nil, nil)
		if len(got) == 0 || got[0].Label != c.want {
			t.Errorf("MaxExamples %d: top label %v, want %s", c.max, got, c.want)
		}
		if h.asked != c.max {
			t.Errorf("MaxExamples %d: the source was asked for the newest %d", c.max, h.asked)
		}
	}
}

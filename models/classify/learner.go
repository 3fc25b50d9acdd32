package classify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/billtriage/billtriage/triage"
)

// HistorySource reads the labelled history a Learner trains on, oldest
// first (the newest slice calibrates the model).
type HistorySource interface {
	// TrainingExamples returns type t's newest resolutions, at most
	// newest of them (all when newest ≤ 0), oldest first, and how many
	// the whole history of t holds.
	TrainingExamples(ctx context.Context, t triage.Type, newest int) (ex []Example, total int, err error)
}

// Learner keeps one model per exception type, trained on the history with
// root cause and action as one label, and implements triage.Classifier.
//
// It retrains from the full history when RetrainEvery new resolutions of a
// type have arrived (and first when MinExamples exist), and swaps the new
// model in atomically. Retraining from scratch, rather than updating the
// weights, keeps the IDF and the calibration right and the result
// independent of arrival order; new resolutions are usable as precedents
// at once, which covers the time until the next retrain. With Sync the
// caller retrains in line (the eval harness, for deterministic replays);
// otherwise a background goroutine does, one per type at a time.
//
// With a Registry the replicas of a service share their models instead:
// see Registry.
type Learner struct {
	Source       HistorySource
	Config       Config
	RetrainEvery int // default 200
	MinExamples  int // default 30
	// MaxExamples caps a type's training set at its newest resolutions
	// (default DefaultMaxExamples): beyond it more examples barely move
	// the model while training time and memory grow with them, and every
	// replica's retraining job repeats that cost every RetrainEvery
	// resolutions.
	MaxExamples int
	Sync        bool
	Log         *slog.Logger
	// Registry, when set, stores the models for every replica and has
	// them retrained once per cluster (Sync then only makes the check
	// whether one is due in line); nil keeps this process to itself.
	Registry Registry
	// CheckAfter is how many resolutions of a type this process observes
	// before it asks the Registry whether a retraining is due (default
	// 20); Watch asks about the rest at its next poll.
	CheckAfter int

	mu       sync.Mutex
	models   map[triage.Type]*Model
	versions map[triage.Type]string
	pending  map[triage.Type]int
	running  map[triage.Type]bool
	shared   map[triage.Type]shared
}

var _ triage.Classifier = (*Learner)(nil)

// Predict implements triage.Classifier. vec feeds the model's dense
// channel, and ns its precedent vote, when it was trained with embeddings
// (the HistorySource decides).
func (l *Learner) Predict(t triage.Type, text string, vec []float32, ns []triage.Neighbor) []triage.ClassScore {
	l.mu.Lock()
	m := l.models[t]
	l.mu.Unlock()
	if m == nil {
		return nil
	}
	return predict(m, text, vec, ns)
}

// predict is m's prediction on text, vec and, when m weighs them, the
// precedents ns.
func predict(m *Model, text string, vec []float32, ns []triage.Neighbor) []triage.ClassScore {
	var precedents []Neighbor
	if m.PrecedentShare() > 0 {
		precedents = make([]Neighbor, len(ns))
		for i, n := range ns {
			precedents[i] = Neighbor{Label: triage.PairLabel(n.RootCause, n.Action), Similarity: n.Similarity}
		}
	}
	scored := m.PredictNeighbors(text, vec, precedents)
	out := make([]triage.ClassScore, len(scored))
	for i, s := range scored {
		out[i] = triage.ClassScore{Label: s.Label, P: s.P}
	}
	return out
}

// Observe implements triage.Classifier.
func (l *Learner) Observe(ctx context.Context, t triage.Type, n int) {
	if l.Registry != nil {
		l.observeShared(ctx, t, n)
		return
	}
	l.mu.Lock()
	l.init()
	l.pending[t] += n
	due := !l.running[t] && ((l.models[t] == nil && l.pending[t] >= l.minExamples()) || l.pending[t] >= l.retrainEvery())
	if due {
		l.running[t] = true
	}
	l.mu.Unlock()
	if !due {
		return
	}
	if l.Sync {
		l.retrain(ctx, t)
		return
	}
	go l.retrain(context.WithoutCancel(ctx), t)
}

// TrainAll trains every type's model now; the service calls it at start.
// With a Registry it loads each type's stored model instead, and trains
// (and stores) only those of types that have none.
func (l *Learner) TrainAll(ctx context.Context) error {
	for _, t := range triage.Types {
		load := l.train
		if l.Registry != nil {
			load = l.loadOrTrain
		}
		if err := load(ctx, t); err != nil {
			return err
		}
	}
	return nil
}

func (l *Learner) retrain(ctx context.Context, t triage.Type) {
	err := l.train(ctx, t)
	l.mu.Lock()
	l.running[t] = false
	l.mu.Unlock()
	if err != nil && l.Log != nil {
		l.Log.Warn("classifier retraining failed; the previous model stays", "type", t, "err", err)
	}
}

// train fits type t's model from the history and swaps it in. Too little
// history (or one label only) leaves the type to the kNN vote.
func (l *Learner) train(ctx context.Context, t triage.Type) error {
	m, body, n, err := l.fit(ctx, t)
	if m == nil || err != nil {
		return err
	}
	l.install(t, m, body, n, 0)
	return nil
}

// fit trains type t's model from the history's newest MaxExamples and
// returns it with its encoding and the size of the whole history it was
// trained from; a nil model when the history is too small (or has one
// label only).
func (l *Learner) fit(ctx context.Context, t triage.Type) (*Model, []byte, int, error) {
	ex, total, err := l.Source.TrainingExamples(ctx, t, l.maxExamples())
	if err != nil {
		return nil, nil, 0, err
	}
	l.mu.Lock()
	l.init()
	l.pending[t] = 0
	l.mu.Unlock()
	if len(ex) < l.minExamples() || distinct(ex) < 2 {
		return nil, nil, total, nil
	}
	// Trained on the newest, counted as the whole history: the retraining
	// schedule compares the history's size with this count.
	m, err := TrainFrom(ctx, slices.Values(ex[max(0, len(ex)-l.maxExamples()):]), l.Config)
	if err != nil {
		return nil, nil, 0, err
	}
	b, err := m.MarshalBinary()
	if err != nil {
		return nil, nil, 0, err
	}
	if l.Log != nil {
		l.Log.Debug("classifier trained", "type", t, "examples", len(ex), "classes", len(m.classes), "dims", m.dims,
			"temperature", m.temperature, "precedent_share", m.mix.share, "precedent_sharpness", m.mix.sharpness)
	}
	return m, b, total, nil
}

// install swaps in m, encoded as body and trained on n resolutions, as
// type t's model; version is its Registry version, 0 when not stored.
func (l *Learner) install(t triage.Type, m *Model, body []byte, n int, version int64) {
	sum := sha256.Sum256(body)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.init()
	l.models[t], l.versions[t] = m, hex.EncodeToString(sum[:4])
	sh := l.shared[t]
	sh.inUse, sh.trainedOn, sh.seen = version, n, max(sh.seen, version)
	l.shared[t] = sh
}

// Version implements triage.Classifier: the hashes of the models in use.
func (l *Learner) Version() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var parts []string
	for t, v := range l.versions {
		parts = append(parts, string(t)+"="+v)
	}
	sort.Strings(parts)
	sum := sha256.Sum256([]byte(strings.Join(parts, ",")))
	return "clf-" + hex.EncodeToString(sum[:4])
}

func (l *Learner) init() {
	if l.models == nil {
		l.models, l.versions = map[triage.Type]*Model{}, map[triage.Type]string{}
		l.pending, l.running = map[triage.Type]int{}, map[triage.Type]bool{}
		l.shared = map[triage.Type]shared{}
	}
}

func (l *Learner) retrainEvery() int {
	if l.RetrainEvery > 0 {
		return l.RetrainEvery
	}
	return 200
}

// DefaultMaxExamples is Learner.MaxExamples's default: a type's newest
// 50,000 resolutions (at a million-row history, training every type on
// everything took 6.5 minutes and over a gigabyte).
const DefaultMaxExamples = 50_000

func (l *Learner) maxExamples() int {
	if l.MaxExamples > 0 {
		return l.MaxExamples
	}
	return DefaultMaxExamples
}

func (l *Learner) minExamples() int {
	if l.MinExamples > 0 {
		return l.MinExamples
	}
	return 30
}

func distinct(ex []Example) int {
	seen := map[string]bool{}
	for _, e := range ex {
		seen[e.Label] = true
	}
	return len(seen)
}

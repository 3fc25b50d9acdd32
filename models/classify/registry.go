package classify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// Registry shares a Learner's models between the replicas of a service,
// so that each type is retrained once per cluster rather than once per
// replica, every replica serves the same model, and a restart loads the
// stored model instead of training from scratch.
//
// A Learner with a Registry does not retrain on its own: when enough
// resolutions of a type have arrived in the whole history (Count, not
// what this process saw) it asks for a retraining with RequestRetrain;
// whichever replica takes that request calls Retrain, which trains and
// Saves; every replica's Watch then loads the new version.
type Registry interface {
	// Latest returns the newest stored model of type t trained with
	// settings (see Learner.Settings) whose version is above after, or a
	// triage error with code ENOTFOUND when there is none.
	Latest(ctx context.Context, t triage.Type, settings string, after int64) (StoredModel, error)
	// Save stores a model of type t trained with settings (Version is
	// ignored) and returns its version, above every earlier one.
	Save(ctx context.Context, t triage.Type, settings string, m StoredModel) (int64, error)
	// Count returns the number of resolutions of type t in the history:
	// the examples the HistorySource returns.
	Count(ctx context.Context, t triage.Type) (int, error)
	// RequestRetrain asks for Retrain(t, settings) to run once, on some
	// replica; requests while one is waiting or running add nothing.
	RequestRetrain(ctx context.Context, t triage.Type, settings string) error
}

// StoredModel is a model as a Registry keeps it.
type StoredModel struct {
	Version int64
	// TrainedOn is the number of resolutions of the type the model was
	// trained on; the next retraining is due RetrainEvery after it.
	TrainedOn int
	// Body is the model's MarshalBinary encoding.
	Body []byte
}

// shared is what a Learner with a Registry knows of one type's model.
type shared struct {
	seen      int64 // the highest Registry version looked at, used or rejected
	inUse     int64 // the Registry version of the model in use; 0 if not stored
	trainedOn int   // resolutions the model in use was trained on
	unchecked int   // resolutions observed since the last due check
	checking  bool  // a due check is under way
}

// DefaultWatchEvery is how often Watch polls the Registry when not told.
const DefaultWatchEvery = 5 * time.Second

// Settings fingerprints what decides the model besides the history: the
// training config and the encoding's format. Replicas share models only
// under equal settings, so one of another build never serves a model its
// own code would not have trained, nor reads one it cannot decode.
func (l *Learner) Settings() string {
	sum := sha256.Sum256(fmt.Appendf(nil, "format %d, %+v", formatVersion, l.Config.withDefaults()))
	return "cfg-" + hex.EncodeToString(sum[:6])
}

// StoredVersion returns the Registry version of type t's model in use, 0
// when there is none or it is not stored.
func (l *Learner) StoredVersion(t triage.Type) int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.shared[t].inUse
}

// loadOrTrain installs type t's newest stored model or, when none can be
// used, trains one from the history and stores it. Its first due check
// is left to Watch, which catches up with what arrived while no replica
// was running.
func (l *Learner) loadOrTrain(ctx context.Context, t triage.Type) error {
	switch err := l.pull(ctx, t); {
	case err == nil && l.StoredVersion(t) > 0:
		l.markUnchecked(t)
		return nil
	case err != nil && triage.ErrorCode(err) != triage.ENOTFOUND && triage.ErrorCode(err) != triage.EINVALID:
		return err
	}
	m, body, n, err := l.fit(ctx, t)
	if m == nil || err != nil {
		l.markUnchecked(t)
		return err
	}
	v, err := l.Registry.Save(ctx, t, l.Settings(), StoredModel{TrainedOn: n, Body: body})
	if err != nil {
		return err
	}
	l.install(t, m, body, n, v)
	return nil
}

// pull installs type t's newest stored model if it is newer than any
// looked at before. A model that does not decode is reported with code
// EINVALID and not looked at again.
func (l *Learner) pull(ctx context.Context, t triage.Type) error {
	l.mu.Lock()
	l.init()
	after := l.shared[t].seen
	l.mu.Unlock()
	sm, err := l.Registry.Latest(ctx, t, l.Settings(), after)
	if err != nil {
		return err
	}
	var m Model
	if err := m.UnmarshalBinary(sm.Body); err != nil {
		l.mu.Lock()
		sh := l.shared[t]
		sh.seen = max(sh.seen, sm.Version)
		l.shared[t] = sh
		l.mu.Unlock()
		return triage.Wrap(triage.EINVALID, err, "stored classifier %d of %s", sm.Version, t)
	}
	l.install(t, &m, sm.Body, sm.TrainedOn, sm.Version)
	return nil
}

// Watch polls the Registry every interval (DefaultWatchEvery when not
// positive) until ctx ends: it swaps in each type's newer stored model,
// so a retraining on any replica reaches this one within an interval, and
// makes the due check for resolutions observed since the last one.
func (l *Learner) Watch(ctx context.Context, every time.Duration) {
	if every <= 0 {
		every = DefaultWatchEvery
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		for _, t := range triage.Types {
			l.refresh(ctx, t)
		}
	}
}

// refresh is one Watch poll of type t.
func (l *Learner) refresh(ctx context.Context, t triage.Type) {
	if err := l.pull(ctx, t); err != nil && triage.ErrorCode(err) != triage.ENOTFOUND {
		l.warn("loading the stored classifier failed; the one in use stays", t, err)
	}
	if l.takeCheck(t, 1) {
		l.check(ctx, t)
	}
}

// observeShared counts n new resolutions of type t and, once CheckAfter
// have arrived, asks whether a retraining is due.
func (l *Learner) observeShared(ctx context.Context, t triage.Type, n int) {
	l.mu.Lock()
	l.init()
	sh := l.shared[t]
	sh.unchecked += n
	l.shared[t] = sh
	l.mu.Unlock()
	if !l.takeCheck(t, l.checkAfter()) {
		return
	}
	if l.Sync {
		l.check(ctx, t)
		return
	}
	go l.check(context.WithoutCancel(ctx), t)
}

// takeCheck reports whether a due check of type t should start now: at
// least atLeast resolutions are unchecked and no check is under way. If
// so it marks one under way, which check ends.
func (l *Learner) takeCheck(t triage.Type, atLeast int) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.init()
	sh := l.shared[t]
	if sh.checking || sh.unchecked < atLeast {
		return false
	}
	sh.checking, sh.unchecked = true, 0
	l.shared[t] = sh
	return true
}

// markUnchecked makes Watch's next poll check type t.
func (l *Learner) markUnchecked(t triage.Type) {
	l.mu.Lock()
	defer l.mu.Unlock()
	sh := l.shared[t]
	sh.unchecked = max(sh.unchecked, 1)
	l.shared[t] = sh
}

// check asks for a retraining of type t when the history has grown by
// RetrainEvery since the model in use was trained (or reached MinExamples
// without a model). It compares with the whole history, not with what
// this process observed, so the replicas agree on when it is due.
func (l *Learner) check(ctx context.Context, t triage.Type) {
	defer func() {
		l.mu.Lock()
		sh := l.shared[t]
		sh.checking = false
		l.shared[t] = sh
		l.mu.Unlock()
	}()
	n, err := l.Registry.Count(ctx, t)
	if err == nil && l.due(t, n) {
		err = l.Registry.RequestRetrain(ctx, t, l.Settings())
	}
	if err != nil {
		l.warn("asking for a classifier retraining failed; the next check asks again", t, err)
	}
}

// due reports whether a history of n resolutions of type t calls for a
// new model than the one in use.
func (l *Learner) due(t triage.Type, n int) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.models[t] == nil {
		return n >= l.minExamples()
	}
	return n-l.shared[t].trainedOn >= l.retrainEvery()
}

// Retrain is the work of a retraining the Registry was asked for: unless
// the stored model is already recent enough (another request was served
// first), it trains type t from the history, stores the model and swaps
// it in here; the other replicas load it at their next Watch poll. It
// returns a triage error with code ECONFLICT when settings are not this
// Learner's, as it would store a model under the wrong ones.
func (l *Learner) Retrain(ctx context.Context, t triage.Type, settings string) error {
	_, err := l.retrainDue(ctx, t, settings)
	return err
}

// retrainDue is Retrain, reporting whether it stored a new model.
func (l *Learner) retrainDue(ctx context.Context, t triage.Type, settings string) (bool, error) {
	if settings != l.Settings() {
		return false, triage.Errorf(triage.ECONFLICT, "retraining %s with settings %s asked of a learner with %s", t, settings, l.Settings())
	}
	if err := l.pull(ctx, t); err != nil && triage.ErrorCode(err) != triage.ENOTFOUND && triage.ErrorCode(err) != triage.EINVALID {
		return false, err
	}
	n, err := l.Registry.Count(ctx, t)
	if err != nil || !l.due(t, n) {
		return false, err
	}
	m, body, n, err := l.fit(ctx, t)
	if m == nil || err != nil {
		return false, err
	}
	v, err := l.Registry.Save(ctx, t, settings, StoredModel{TrainedOn: n, Body: body})
	if err != nil {
		return false, err
	}
	l.install(t, m, body, n, v)
	if l.Log != nil {
		l.Log.Info("classifier retrained and stored", "type", t, "version", v, "examples", n)
	}
	return true, nil
}

// StoreDue trains and stores, with the Registry, the model of each type
// whose history has outgrown the stored one (see Retrain), or that has none
// yet, and returns those types. A bulk load calls it, so that the next
// `serve` loads models matching the history it finds instead of training
// them all before it answers (issue 16: 18.8 s at a 100k history).
func (l *Learner) StoreDue(ctx context.Context) ([]triage.Type, error) {
	if l.Registry == nil {
		return nil, triage.Errorf(triage.EINTERNAL, "StoreDue needs a Registry")
	}
	var out []triage.Type
	for _, t := range triage.Types {
		trained, err := l.retrainDue(ctx, t, l.Settings())
		if err != nil {
			return out, err
		}
		if trained {
			out = append(out, t)
		}
	}
	return out, nil
}

func (l *Learner) checkAfter() int {
	if l.CheckAfter > 0 {
		return l.CheckAfter
	}
	return 20
}

func (l *Learner) warn(msg string, t triage.Type, err error) {
	if l.Log != nil {
		l.Log.Warn(msg, "type", t, "err", err)
	}
}

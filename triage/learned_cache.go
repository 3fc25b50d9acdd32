package triage

import (
	"sync"
	"time"
)

// LearnedRefresh is how long what the service learns from the history
// (parameter schemas, cause words) is used before it is learned again.
// Resolutions this replica records drop young entries at once (see
// youngSchema); this bound is for what other replicas record.
const LearnedRefresh = 10 * time.Minute

// learnedCache holds values learned from the history per key (an action,
// a type) until they are LearnedRefresh old.
type learnedCache[T any] struct {
	mu    sync.Mutex
	byKey map[string]learned[T]
}

type learned[T any] struct {
	v  T
	at time.Time
}

func (c *learnedCache[T]) get(key string, now time.Time) (T, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[key]
	if !ok || now.Sub(e.at) > LearnedRefresh || now.Before(e.at) {
		var zero T
		return zero, false
	}
	return e.v, true
}

func (c *learnedCache[T]) put(key string, v T, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byKey == nil {
		c.byKey = map[string]learned[T]{}
	}
	c.byKey[key] = learned[T]{v: v, at: now}
}

// drop forgets the key's entry when stale says it is out of date; with no
// keys it forgets everything.
func (c *learnedCache[T]) drop(stale func(T) bool, keys ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if keys == nil {
		c.byKey = nil
		return
	}
	for _, k := range keys {
		if e, ok := c.byKey[k]; ok && stale(e.v) {
			delete(c.byKey, k)
		}
	}
}

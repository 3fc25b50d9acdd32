package triage

import (
	"context"
	"slices"
	"sort"
	"sync"
	"time"
)

// ShapeRefresh is how long learned key shapes are used before they are
// learned again. A replica relearns at once when its own resolutions bring
// a key its shapes do not cover; this bound is for corrections other
// replicas record.
const ShapeRefresh = 10 * time.Minute

// ShapeKeys is how many of a field's most recent correction keys the
// shapes are learned from: enough for every shape customers actually use,
// few enough to learn in milliseconds.
const ShapeKeys = 2000

// shapeCache holds the learned key shapes per field.
type shapeCache struct {
	mu      sync.Mutex
	byField map[string]shapeEntry
}

type shapeEntry struct {
	shapes *KeyShapes
	at     time.Time
	// learnedFrom holds the keys the shapes were learned from, with the
	// attributes that held them, so a correction already weighed (a key
	// that fits no shape, say) does not send every later triage back to
	// the database to relearn.
	learnedFrom map[string][]string
}

func (c *shapeCache) get(field string, now time.Time) (shapeEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byField[field]
	if !ok || now.Sub(e.at) > ShapeRefresh || now.Before(e.at) {
		return shapeEntry{}, false
	}
	return e, true
}

func (c *shapeCache) put(field string, ks *KeyShapes, keys []CorrectionKey, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byField == nil {
		c.byField = map[string]shapeEntry{}
	}
	from := make(map[string][]string, len(keys))
	for _, k := range keys {
		from[k.Key] = append(from[k.Key], k.Attrs...)
	}
	c.byField[field] = shapeEntry{shapes: ks, at: now, learnedFrom: from}
}

// forget drops the fields whose shapes are out of date, all when fields
// is nil.
func (c *shapeCache) forget(fields ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if fields == nil {
		c.byField = nil
		return
	}
	for _, f := range fields {
		delete(c.byField, f)
	}
}

// learnedShapes returns the learned key shapes of each field, from the
// cache while fresh.
func (s *Service) learnedShapes(ctx context.Context, fields []string) (map[string]*KeyShapes, error) {
	out := make(map[string]*KeyShapes, len(fields))
	for _, f := range fields {
		now := s.now()
		e, ok := s.shapes.get(f, now)
		if !ok {
			keys, err := s.store.CorrectionKeys(ctx, f, ShapeKeys)
			if err != nil {
				return nil, err
			}
			e.shapes = LearnKeyShapes(f, keys, DefaultShapes)
			s.shapes.put(f, e.shapes, keys, now)
		}
		out[f] = e.shapes
	}
	return out, nil
}

// staleShapes lists the fields whose cached shapes a resolution of ex with
// cs would change: a key not yet weighed that no learned shape matches, or
// one held by an attribute not yet learned as carrying keys. Keys of known
// shapes, or already learned from, under known names change nothing, so
// most resolutions keep the cache.
func (s *Service) staleShapes(ex Exception, cs []Correction) []string {
	var out []string
	for _, c := range cs {
		e, ok := s.shapes.get(c.Field, s.now())
		seen, weighed := e.learnedFrom[c.Key]
		if ok && (e.shapes.Matches(c.Key) || weighed) && !newCarrier(e.shapes, seen, ex, c.Key) {
			continue
		}
		out = append(out, c.Field)
	}
	sort.Strings(out)
	return out
}

// newCarrier says whether an attribute of ex holds key that is neither
// among ks.Attrs nor already seen holding it when the shapes were learned.
func newCarrier(ks *KeyShapes, seen []string, ex Exception, key string) bool {
	known := map[string]bool{}
	for _, a := range slices.Concat(seen, ks.Attrs) {
		known[a] = true
	}
	for a, v := range ex.Attributes {
		if s, _ := v.(string); s == key && !known[a] {
			return true
		}
	}
	return false
}

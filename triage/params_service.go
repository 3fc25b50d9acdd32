package triage

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// ParamRefresh is how long a learned parameter schema is used before it
// is learned again. A schema learned from few cases is relearned after
// each resolution of its action instead (see youngSchema), since each new
// case can change it.
const ParamRefresh = 10 * time.Minute

// youngSchema is the number of cases below which a schema is relearned as
// soon as its action is resolved again.
const youngSchema = 200

type paramCache struct {
	mu       sync.Mutex
	byAction map[string]paramEntry
}

type paramEntry struct {
	schema *ParamSchema
	at     time.Time
}

func (c *paramCache) get(action string, now time.Time) (*ParamSchema, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byAction[action]
	if !ok || now.Sub(e.at) > ParamRefresh || now.Before(e.at) {
		return nil, false
	}
	return e.schema, true
}

func (c *paramCache) put(action string, ps *ParamSchema, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byAction == nil {
		c.byAction = map[string]paramEntry{}
	}
	c.byAction[action] = paramEntry{schema: ps, at: now}
}

// resolved drops the action's schema when it was learned from few cases;
// nil drops all.
func (c *paramCache) resolved(actions ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if actions == nil {
		c.byAction = nil
		return
	}
	for _, a := range actions {
		if e, ok := c.byAction[a]; ok && e.schema.Cases < youngSchema {
			delete(c.byAction, a)
		}
	}
}

// paramSchema returns the action's learned schema, from the cache while
// fresh.
func (s *Service) paramSchema(ctx context.Context, action string) (*ParamSchema, error) {
	now := s.now()
	if ps, ok := s.params.get(action, now); ok {
		return ps, nil
	}
	exs, err := s.store.ParamHistory(ctx, action, DefaultParams.History)
	if err != nil {
		return nil, err
	}
	ps := LearnParams(action, exs, DefaultParams)
	s.params.put(action, ps, now)
	return ps, nil
}

// withParams fills the suggestion's parameters from the case, the mappings
// enrichment found and what the action's history teaches, never from a
// precedent's own values. The suggestion's confidence becomes that of the
// pair and every parameter together. It returns what needs a person.
func (s *Service) withParams(ctx context.Context, ex *Exception, sug *Suggestion, enr []Enrichment) ([]string, error) {
	sug.PairConfidence = sug.Confidence
	if sug.Action == "" {
		return nil, nil
	}
	ps, err := s.paramSchema(ctx, sug.Action)
	if err != nil {
		return nil, err
	}
	if ps.Cases < DefaultParams.MinSupport {
		sug.Confidence = 0
		return []string{paramsUnlearned(ps)}, nil
	}
	sources, needs := ps.Resolve(ex, mappedValues(enr))
	sug.ParamSources, sug.Params = sources, nil
	for name, sp := range sources {
		if sug.Params == nil {
			sug.Params = map[string]any{}
		}
		sug.Params[name] = sp.Value
		sug.Confidence *= sp.Confidence
	}
	return needs, nil
}

func paramsUnlearned(ps *ParamSchema) string {
	return fmt.Sprintf("the parameters of %s are not learned yet: the history holds %d resolutions of it, fewer than %d", ps.Action, ps.Cases, DefaultParams.MinSupport)
}

// mappedValues are the values enrichment found, by correction field: the
// applied correction, else the best candidate it held back.
func mappedValues(es []Enrichment) map[string]SuggestedParam {
	out := map[string]SuggestedParam{}
	for _, e := range es {
		place := "corrections." + e.Field
		switch {
		case e.Applied != nil:
			out[place] = SuggestedParam{Value: e.Applied.After, Confidence: e.Applied.Confidence, Evidence: e.Applied.Seen}
		case len(e.Candidates) > 0 && e.Candidates[0].Confidence > 0:
			c := e.Candidates[0]
			out[place] = SuggestedParam{Value: c.To, Confidence: c.Confidence, Evidence: c.Seen}
		}
	}
	return out
}

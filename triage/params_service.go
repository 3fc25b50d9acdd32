package triage

import (
	"context"
	"fmt"
)

// youngSchema is the number of cases below which a schema (or a type's
// cause words) is relearned as soon as its action (type) is resolved
// again: each new case can change it.
const youngSchema = 200

// young says whether a schema was learned from few cases.
func young(ps *ParamSchema) bool { return ps.Cases < youngSchema }

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
	sources, needs, spared := ps.Resolve(ex, mappedValues(enr), s.policy.Load().ParamDefaults[sug.Action])
	sug.ParamSources, sug.Params = sources, nil
	sug.Confidence *= spared
	for _, name := range sortedKeys(sources) { // a fixed order keeps the product reproducible
		sp := sources[name]
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

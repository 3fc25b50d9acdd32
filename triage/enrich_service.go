package triage

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// enrich looks up learned corrections for the fields this kind of case
// needs corrected (those its agreeing precedents corrected), applies the
// confident ones to ex and returns what it found, the reasons in words,
// and the holds that need a person.
func (s *Service) enrich(ctx context.Context, ex *Exception, ns []Neighbor, sug Suggestion, pol *Policy) ([]Enrichment, []string, []string, error) {
	var out []Enrichment
	var reasons, holds []string
	needed := s.neededFields(ns, sug.RootCause)
	learned, err := s.learnedShapes(ctx, needed)
	if err != nil {
		return nil, nil, nil, err
	}
	ids := Identifiers(ex, learned)
	for _, field := range needed {
		id, ok := findIdentifier(ids, field)
		if !ok {
			holds = append(holds, fmt.Sprintf("this case needs %s corrected but no identifier for it was found", field))
			continue
		}
		e, err := s.enrichOne(ctx, ex, id, ns)
		if err != nil {
			return nil, nil, nil, err
		}
		why, hold := s.applyBest(ex, &e, pol)
		if hold {
			holds = append(holds, why)
		} else {
			reasons = append(reasons, why)
		}
		out = append(out, e)
	}
	return out, reasons, holds, nil
}

// neededFields are the fields corrected by at least half (by vote weight)
// of the precedents that agree with the suggested root cause.
func (s *Service) neededFields(ns []Neighbor, rootCause string) []string {
	total := 0.0
	byField := map[string]float64{}
	for _, n := range ns {
		if n.RootCause != rootCause {
			continue
		}
		w := s.matcher.weight(n.Similarity)
		total += w
		cs, _ := CorrectionsFromParams(n.Params)
		seen := map[string]bool{}
		for _, c := range cs {
			if !seen[c.Field] {
				byField[c.Field] += w
				seen[c.Field] = true
			}
		}
	}
	var out []string
	for f, w := range byField {
		if total > 0 && w >= total/2 {
			out = append(out, f)
		}
	}
	sort.Strings(out)
	return out
}

func findIdentifier(ids []Identifier, field string) (Identifier, bool) {
	for _, id := range ids {
		if id.Field == field {
			return id, true
		}
	}
	return Identifier{}, false
}

// enrichOne ranks candidates for one identifier: exact evidence first;
// for an unseen identifier, similar known identifiers and the precedents'
// own mappings, which a person may pick but which are never applied.
func (s *Service) enrichOne(ctx context.Context, ex *Exception, id Identifier, ns []Neighbor) (Enrichment, error) {
	e := Enrichment{Identifier: id}
	ev, err := s.store.Evidence(ctx, id.Field, id.Key)
	if err != nil {
		return e, err
	}
	prior, err := s.fieldPrior(ctx, id.Field)
	if err != nil {
		return e, err
	}
	// Evidence is weighed as known now: a reversal recorded after the
	// exception occurred still counts (late-arriving usage is common).
	e.Candidates = s.enrichCfg.Rank(id.Field, id.Key, ev, s.now(), prior)
	if err := s.checkMigration(ctx, &e); err != nil {
		return e, err
	}
	if len(e.Candidates) == 0 {
		if e.Candidates, err = s.fuzzyCandidates(ctx, ex, id, ns); err != nil {
			return e, err
		}
	}
	if len(e.Candidates) > 5 {
		e.Candidates = e.Candidates[:5]
	}
	return e, nil
}

// fieldPrior returns the field's prior (FieldPrior of its consistency),
// from the cache while fresh. The consistency query reads every
// correction of the field (~4.6 ms at a 100k history) and its answer moves
// only when corrections of the field are added, which this replica's own
// resolutions and loads drop at once (see dropPriors); other replicas'
// reach it within LearnedRefresh.
func (s *Service) fieldPrior(ctx context.Context, field string) (Prior, error) {
	now := s.now()
	if p, ok := s.priors.get(field, now); ok {
		return p, nil
	}
	agree, total, err := s.store.FieldConsistency(ctx, field)
	if err != nil {
		return Prior{}, err
	}
	p := FieldPrior(agree, total)
	s.priors.put(field, p, now)
	return p, nil
}

// dropPriors forgets the cached priors of the fields cs corrected: any new
// correction moves its field's consistency, so the next triage asks again.
func (s *Service) dropPriors(cs []Correction) {
	for _, c := range cs {
		s.priors.drop(func(Prior) bool { return true }, c.Field)
	}
}

func (s *Service) fuzzyCandidates(ctx context.Context, ex *Exception, id Identifier, ns []Neighbor) ([]Candidate, error) {
	similar, err := s.store.SimilarKeys(ctx, id.Field, id.Key, 3)
	if err != nil {
		return nil, err
	}
	var out []Candidate
	for _, k := range similar {
		ev, err := s.store.Evidence(ctx, id.Field, k.Key)
		if err != nil {
			return nil, err
		}
		if best := s.enrichCfg.Rank(id.Field, k.Key, ev, s.now(), Prior{}); len(best) > 0 {
			out = append(out, Candidate{Field: id.Field, Key: id.Key, To: best[0].To, Seen: best[0].Seen,
				Source: fmt.Sprintf("similar known identifier %s (trigram similarity %.2f)", k.Key, k.Similarity)})
		}
	}
	for _, n := range ns {
		cs, _ := CorrectionsFromParams(n.Params)
		for _, c := range cs {
			if c.Field == id.Field && len(out) < 5 && !hasTarget(out, c.To) {
				out = append(out, Candidate{Field: id.Field, Key: id.Key, To: c.To,
					Source: fmt.Sprintf("precedent resolution %d mapped %s", n.ResolutionID, c.Key)})
			}
		}
	}
	return out, nil
}

// checkMigration blocks the best candidate when its target has since
// moved on another key (a customer that migrated ids): this key's history
// is then stale, and the newer target is offered to the reviewer instead.
func (s *Service) checkMigration(ctx context.Context, e *Enrichment) error {
	if len(e.Candidates) == 0 {
		return nil
	}
	best := &e.Candidates[0]
	moves, err := s.store.Supersessions(ctx, e.Field, best.To)
	if err != nil {
		return err
	}
	for _, m := range moves {
		if m.Since.After(best.LastSeen) && m.Key != e.Key {
			best.Blocked = fmt.Sprintf("last seen %s, but %s has mapped %s to %s since %s (a migration?)",
				best.LastSeen.Format("2006-01-02"), m.Key, best.To, m.To, m.Since.Format("2006-01-02"))
			if !hasTarget(e.Candidates, m.To) {
				e.Candidates = append(e.Candidates, Candidate{Field: e.Field, Key: e.Key, To: m.To,
					Source: fmt.Sprintf("%s moved from %s to %s on %s", m.Key, best.To, m.To, m.Since.Format("2006-01-02"))})
			}
			return nil
		}
	}
	return nil
}

func hasTarget(cs []Candidate, to string) bool {
	for _, c := range cs {
		if c.To == to {
			return true
		}
	}
	return false
}

// applyBest applies the best candidate when the policy allows it and says
// why, or returns the reason a person must decide.
func (s *Service) applyBest(ex *Exception, e *Enrichment, pol *Policy) (string, bool) {
	if len(e.Candidates) == 0 {
		return fmt.Sprintf("%s %q has no correction history and nothing similar is known", e.Field, e.Key), true
	}
	best := e.Candidates[0]
	th := pol.EnrichThreshold(e.Field)
	switch {
	case pol.MoneyField(e.Field):
		return fmt.Sprintf("%s moves money: a person must apply %s", e.Field, best.To), true
	case best.Source != "exact":
		return fmt.Sprintf("%s %q was never seen before; candidates for a person: %s", e.Field, e.Key, listCandidates(e.Candidates)), true
	case best.Blocked != "":
		return fmt.Sprintf("%s %q → %s was %s", e.Field, e.Key, best.To, best.Blocked), true
	case best.Confidence < th:
		return fmt.Sprintf("%s for %q is not certain enough (best %.2f < %.2f): %s", e.Field, e.Key, best.Confidence, th, listCandidates(e.Candidates)), true
	}
	if ex.Attributes == nil {
		ex.Attributes = map[string]any{}
	}
	before, _ := ex.Attributes[e.Field].(string)
	ex.Attributes[e.Field] = best.To
	e.Applied = &AppliedCorrection{Field: e.Field, Key: e.Key, Before: before, After: best.To, Confidence: best.Confidence, Seen: best.Seen}
	return fmt.Sprintf("set %s of %q to %s (seen %d times, confidence %.2f)", e.Field, e.Key, best.To, best.Seen, best.Confidence), false
}

// listCandidates names the candidates for a reason sentence, each target
// once: an exact mapping with its score and sightings, a look-alike (a
// similar key's or a precedent's target, never scored) by how many
// look-alikes point to it. The candidates themselves, each with its own
// source, stay in the decision for the reviewer.
func listCandidates(cs []Candidate) string {
	var order []string
	first := map[string]Candidate{}
	alike := map[string]int{}
	for _, c := range cs {
		if _, ok := first[c.To]; !ok {
			order = append(order, c.To)
			first[c.To] = c
		}
		if c.Source != "exact" {
			alike[c.To]++
		}
	}
	parts := make([]string, 0, len(order))
	for _, to := range order {
		c := first[to]
		if c.Source == "exact" {
			parts = append(parts, fmt.Sprintf("%s (%.2f, seen %d)", to, c.Confidence, c.Seen))
			continue
		}
		n := alike[to]
		parts = append(parts, fmt.Sprintf("%s (not scored: %d look-alike%s)", to, n, map[bool]string{true: "s"}[n != 1]))
	}
	return strings.Join(parts, ", ")
}

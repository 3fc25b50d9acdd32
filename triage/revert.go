package triage

import (
	"context"
	"strings"
)

// Revert undoes the automatic enrichment of exception id, if p works its
// queue: the corrected fields get their previous values back, the exception
// goes to its queue for a person, and each reverted mapping is recorded as
// a reversal, which counts against it until new evidence outweighs it.
func (s *Service) Revert(ctx context.Context, p Principal, id int64, reason string) (Exception, error) {
	ex, err := s.workable(ctx, p, id)
	if err != nil {
		return ex, err
	}
	if strings.TrimSpace(reason) == "" {
		return Exception{}, Invalid("reason", "say why the enrichment is wrong")
	}
	d, err := s.store.LatestDecision(ctx, id)
	if err != nil {
		return ex, err
	}
	applied := stillApplied(ex, appliedCorrections(d.Enrichments))
	if !ex.Status.Open() || (len(applied) == 0 && ex.Status != StatusAutoEnriched) {
		return ex, Errorf(ECONFLICT, "exception %d has no automatic enrichment to revert", id)
	}
	now := s.now().UTC()
	after := cloneMap(ex.Attributes)
	var reversals []Evidence
	for _, a := range applied {
		restore(ex.Attributes, a.Field, a.Before)
		reversals = append(reversals, Evidence{Correction: Correction{Field: a.Field, Key: a.Key, From: a.Before, To: a.After,
			ReversedAt: &now}, Type: ex.Type, At: now, By: p.Actor()})
	}
	ex.Status, ex.Enrichment = StatusQueued, nil
	audit := AuditEntry{ExceptionID: id, At: now, Actor: p.Actor(), Action: AuditReverted,
		Detail: map[string]any{"reason": reason, "corrections": applied, "attributes_before": after, "attributes_after": ex.Attributes}}
	if err := s.store.Revert(ctx, ex, reversals, audit, changeEvent(EventReverted, ex, audit, reason)); err != nil {
		return ex, err
	}
	// A reversal is a correction row too: the consistency query skips it
	// today, but dropping costs one query and keeps the cache honest
	// whatever that query counts.
	for _, r := range reversals {
		s.dropPriors([]Correction{r.Correction})
	}
	s.afterVerdict(ctx, ex.Type)
	return ex, nil
}

// stillApplied keeps the corrections whose value the exception still
// holds, so a revert cannot be recorded twice.
func stillApplied(ex Exception, applied []AppliedCorrection) []AppliedCorrection {
	var out []AppliedCorrection
	for _, a := range applied {
		if v, _ := ex.Attributes[a.Field].(string); v == a.After {
			out = append(out, a)
		}
	}
	return out
}

func restore(attrs map[string]any, field, before string) {
	if before == "" {
		delete(attrs, field)
		return
	}
	attrs[field] = before
}

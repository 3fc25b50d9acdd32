package triage

import (
	"context"
	"time"
)

// AutoQuery filters the list of automatic decisions. Zero fields do not
// filter.
type AutoQuery struct {
	Type Type
	// Action is the applied action code, e.g. "add_gl_mapping".
	Action string
	// From and To bound the decision time: From inclusive, To exclusive.
	From, To time.Time
	Limit    int
	// Queues are the queues to list; the service sets them to what the
	// caller may see.
	Queues []Queue
}

// AutoItem is one exception the policy enriched automatically: what was
// applied (the enrichment's before and after, and each field correction's
// before and after) and where the item stands now.
type AutoItem struct {
	Exception  Exception      `json:"exception"`
	RootCause  string         `json:"root_cause"`
	Action     string         `json:"action"`
	Confidence float64        `json:"confidence"`
	DecidedAt  time.Time      `json:"decided_at"`
	Params     map[string]any `json:"params,omitempty"`
	// Corrections are the field corrections applied, each with the value
	// before and after.
	Corrections []AppliedCorrection `json:"corrections,omitempty"`
	// Reverted says a person undid the enrichment.
	Reverted bool `json:"reverted"`
	// Revertible says the enrichment is still in force, so Revert would
	// undo it (whether the caller may is its role's matter).
	Revertible bool `json:"revertible"`
}

// Auto-enriched list sizes.
const (
	DefaultAutoPage = 100
	MaxAutoPage     = 500
)

// AutoEnriched lists what the policy applied automatically, newest first,
// in the queues p may see: a lead audits automation from it daily.
func (s *Service) AutoEnriched(ctx context.Context, p Principal, q AutoQuery) ([]AutoItem, error) {
	if len(p.Queues()) == 0 {
		return nil, Authorize(false, p, "see automatic decisions")
	}
	if q.Type != "" && !q.Type.Valid() {
		return nil, Invalid("type", "unknown type %q (want one of %s)", q.Type, joinTypes())
	}
	if err := checkString("action", q.Action, MaxIDBytes); err != nil {
		return nil, err
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.To.After(q.From) {
		return nil, Invalid("to", "must be after from")
	}
	if q.Limit < 0 || q.Limit > MaxAutoPage {
		return nil, Invalid("limit", "must be an integer from 1 to %d", MaxAutoPage)
	}
	if q.Limit == 0 {
		q.Limit = DefaultAutoPage
	}
	q.Queues = p.Queues()
	items, err := s.store.AutoApplied(ctx, q)
	if items == nil && err == nil {
		items = []AutoItem{}
	}
	return items, err
}

// AppliedCorrections returns the corrections of es that were applied, each
// with its value before and after: what a revert would undo.
func AppliedCorrections(es []Enrichment) []AppliedCorrection { return appliedCorrections(es) }

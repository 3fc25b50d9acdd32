package triage

import "context"

// PolicyStore keeps every policy ever put in force, so a decision's policy
// version can always be looked up, and restarts keep the active one.
type PolicyStore interface {
	SavePolicy(ctx context.Context, p *Policy, by string) error
	// ActivePolicy returns the newest saved policy, ENOTFOUND if none.
	ActivePolicy(ctx context.Context) (*Policy, error)
}

package triage

import (
	"context"
	"time"
)

// PolicyStore keeps every policy ever put in force, so a decision's policy
// version can always be looked up, and restarts keep the active one; and
// what governs a change: the versions with their authors and reasons, the
// previews that must precede an activation, the shadow run beside the
// active policy and the admin audit log.
type PolicyStore interface {
	// SavePolicy stores p as the newest, active policy without a preview:
	// the operator's --policy file at start (see README, Policy).
	SavePolicy(ctx context.Context, p *Policy, by string) error
	// ActivePolicy returns the newest saved policy, ENOTFOUND if none.
	ActivePolicy(ctx context.Context) (*Policy, error)

	// ActivateVersion appends v as the policy in force and audit to the
	// admin audit log in one transaction. When v ends a shadow
	// (v.ShadowID), that shadow is ended as promoted in the same
	// transaction, ECONFLICT if it is no longer running.
	ActivateVersion(ctx context.Context, v PolicyVersion, audit AdminAudit) (PolicyVersion, error)
	// PolicyVersions returns the newest versions first, at most limit.
	PolicyVersions(ctx context.Context, limit int) ([]PolicyVersion, error)
	// PolicyVersion returns one version and the one before it (nil for
	// the first); ENOTFOUND if there is no such version.
	PolicyVersion(ctx context.Context, id int64) (PolicyVersion, *PolicyVersion, error)

	// SavePreview stores a preview and returns it with its id.
	SavePreview(ctx context.Context, pv Preview) (Preview, error)
	// Preview returns a stored preview, ENOTFOUND if none.
	Preview(ctx context.Context, id int64) (Preview, error)
	// ReplayItems returns the decisions made since from, oldest first, with
	// what people later said of each item; at most limit.
	ReplayItems(ctx context.Context, from time.Time, limit int) ([]ReplayItem, error)

	// StartShadow stores a running shadow with its audit row; ECONFLICT
	// when one is running already.
	StartShadow(ctx context.Context, sh Shadow, audit AdminAudit) (Shadow, error)
	// RunningShadow returns the running shadow, ENOTFOUND if none.
	RunningShadow(ctx context.Context) (Shadow, error)
	// Shadow returns a shadow by id, ENOTFOUND if none.
	Shadow(ctx context.Context, id int64) (Shadow, error)
	// DiscardShadow ends a running shadow as discarded with its audit row;
	// ECONFLICT when it is no longer running.
	DiscardShadow(ctx context.Context, id int64, audit AdminAudit) error
	// SaveShadowDecision records what the shadow decided; nothing else.
	SaveShadowDecision(ctx context.Context, d ShadowDecision) error
	// ShadowDecisions returns a shadow's decisions with what people later
	// said of each item.
	ShadowDecisions(ctx context.Context, shadowID int64) ([]ShadowDecision, error)
	// AdminAudit returns the admin audit rows about subject, oldest first.
	AdminAudit(ctx context.Context, subject string) ([]AdminAudit, error)
}

// AdminAudit is one row of the append-only log of admin actions that are
// about no one exception: policy activations, rollbacks, shadows.
type AdminAudit struct {
	ID      int64          `json:"id"`
	At      time.Time      `json:"at"`
	Actor   string         `json:"actor"`
	Action  string         `json:"action"`
	Subject string         `json:"subject"`
	Detail  map[string]any `json:"detail,omitempty"`
}

// Admin audit actions and subject.
const (
	AuditPolicyActivated  = "policy.activated"
	AuditPolicyRolledBack = "policy.rolled_back"
	AuditPolicyPromoted   = "policy.promoted"
	AuditShadowStarted    = "shadow.started"
	AuditShadowDiscarded  = "shadow.discarded"
	// AuditSubjectPolicy is the subject of every policy and shadow row.
	AuditSubjectPolicy = "policy"
)

package triage

import "time"

// Change says how a policy version came to be in force.
type Change string

// Changes.
const (
	// ChangeActivate is an admin's PUT /v1/policy after a preview.
	ChangeActivate Change = "activate"
	// ChangeRollback puts an earlier version back in force.
	ChangeRollback Change = "rollback"
	// ChangePromote makes the shadow the active policy.
	ChangePromote Change = "promote"
	// ChangeFile is the operator's --policy file at start.
	ChangeFile Change = "file"
)

// PolicyVersion is one policy put in force: who, when, why, and the
// evidence (a preview, a shadow) it rests on.
type PolicyVersion struct {
	ID           int64     `json:"id"`
	Version      string    `json:"version"`
	Policy       *Policy   `json:"policy,omitempty"`
	Change       Change    `json:"change"`
	CreatedBy    string    `json:"created_by"`
	CreatedAt    time.Time `json:"created_at"`
	Reason       string    `json:"reason"`
	PreviewID    *int64    `json:"preview_id,omitempty"`
	RestoredFrom *int64    `json:"restored_from,omitempty"`
	ShadowID     *int64    `json:"shadow_id,omitempty"`
	// Active is true for the version in force.
	Active bool `json:"active"`
}

// PolicyVersionDetail is a version with the diff against the one before.
type PolicyVersionDetail struct {
	PolicyVersion
	// PreviousID is the version before it (absent for the first).
	PreviousID *int64      `json:"previous_id,omitempty"`
	Diff       []DiffEntry `json:"diff"`
}

// MaxReasonLen bounds the reason given for a change.
const MaxReasonLen = 500

// checkReason refuses a reason too long to be a reason.
func checkReason(reason string) error {
	if len(reason) > MaxReasonLen {
		return Invalid("reason", "is %d bytes; at most %d", len(reason), MaxReasonLen)
	}
	return nil
}

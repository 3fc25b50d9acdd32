package triage

import (
	"context"
	"fmt"
	"io"
	"time"
)

// ChangeRequest is what an admin gives with a change: the preview it
// rests on and why.
type ChangeRequest struct {
	// PreviewID names the preview; 0 when none was given, negative when
	// what was given is not an id (refused after the rights check).
	PreviewID int64
	Reason    string
}

// ChangePolicy parses the policy in body and puts it in force, if p
// administers and req names a fresh preview of exactly this policy: the
// right is checked before the body is read, so a caller without it learns
// nothing from validation. The version, with its author, reason and
// preview, and the admin audit row are stored in one transaction before
// the policy is used for the next decision; decisions already made keep
// the version they were made under. Putting the policy already in force
// changes nothing and needs no preview.
func (s *Service) ChangePolicy(ctx context.Context, p Principal, body io.Reader, req ChangeRequest) (*Policy, error) {
	if err := s.mayGovern(p, "change the policy"); err != nil {
		return nil, err
	}
	pol, err := ParsePolicy(body)
	if err != nil {
		return nil, err
	}
	if err := checkReason(req.Reason); err != nil {
		return nil, err
	}
	active := s.Policy()
	if pol.Version() == active.Version() {
		return active, nil
	}
	if err := s.checkPreview(ctx, req.PreviewID, pol); err != nil {
		return nil, err
	}
	v := PolicyVersion{Version: pol.Version(), Policy: pol, Change: ChangeActivate, CreatedBy: p.Actor(),
		Reason: req.Reason, PreviewID: &req.PreviewID}
	if _, err := s.policies.ActivateVersion(ctx, v, s.policyAudit(p, AuditPolicyActivated, active, pol, req.Reason,
		map[string]any{"preview_id": req.PreviewID})); err != nil {
		return nil, err
	}
	s.policy.Store(pol)
	return pol, nil
}

// RollbackPolicy puts an earlier version back in force, as one audited
// action. It needs no preview: the version was in force before, and its
// decisions are on record.
func (s *Service) RollbackPolicy(ctx context.Context, p Principal, id int64, reason string) (PolicyVersion, error) {
	if err := s.mayGovern(p, "roll back the policy"); err != nil {
		return PolicyVersion{}, err
	}
	if err := checkReason(reason); err != nil {
		return PolicyVersion{}, err
	}
	old, _, err := s.policies.PolicyVersion(ctx, id)
	if err != nil {
		return PolicyVersion{}, err
	}
	active := s.Policy()
	if old.Version == active.Version() {
		return PolicyVersion{}, Errorf(ECONFLICT, "version %d (%s) is the policy in force", id, old.Version)
	}
	v := PolicyVersion{Version: old.Version, Policy: old.Policy, Change: ChangeRollback, CreatedBy: p.Actor(),
		Reason: reason, RestoredFrom: &id}
	saved, err := s.policies.ActivateVersion(ctx, v, s.policyAudit(p, AuditPolicyRolledBack, active, old.Policy, reason,
		map[string]any{"restored_from": id}))
	if err != nil {
		return PolicyVersion{}, err
	}
	s.policy.Store(old.Policy)
	return saved, nil
}

// PolicyVersions lists the versions newest first, the first in force;
// admins and analysts may read them.
func (s *Service) PolicyVersions(ctx context.Context, p Principal, limit int) ([]PolicyVersion, error) {
	if err := s.mayReadGovernance(p); err != nil {
		return nil, err
	}
	vs, err := s.policies.PolicyVersions(ctx, limit)
	if vs == nil {
		vs = []PolicyVersion{}
	}
	return vs, err
}

// PolicyVersionDetail returns one version with its diff against the
// version before it, or against the built-in default for the first.
func (s *Service) PolicyVersionDetail(ctx context.Context, p Principal, id int64) (PolicyVersionDetail, error) {
	if err := s.mayReadGovernance(p); err != nil {
		return PolicyVersionDetail{}, err
	}
	v, prev, err := s.policies.PolicyVersion(ctx, id)
	if err != nil {
		return PolicyVersionDetail{}, err
	}
	d := PolicyVersionDetail{PolicyVersion: v}
	// Before the first stored version the built-in default was in force
	// (or a --policy file, which is stored as a version itself).
	before := builtinPolicy
	if prev != nil {
		d.PreviousID, before = &prev.ID, prev.Policy
	}
	d.Diff = DiffPolicies(before, v.Policy)
	return d, nil
}

// checkPreview refuses a change without a fresh preview of exactly pol,
// naming preview_id.
func (s *Service) checkPreview(ctx context.Context, id int64, pol *Policy) error {
	refuse := func(format string, args ...any) error {
		return &Error{Code: ECONFLICT, Field: "preview_id", Message: fmt.Sprintf(format, args...)}
	}
	if id < 0 {
		return Invalid("preview_id", "must be a positive integer")
	}
	if id == 0 {
		return refuse("this change needs a preview of the policy no older than %s: POST it to /v1/policy/preview and pass the preview's id as preview_id", s.previewMaxAge)
	}
	pv, err := s.policies.Preview(ctx, id)
	if ErrorCode(err) == ENOTFOUND {
		return refuse("there is no preview %d", id)
	}
	if err != nil {
		return err
	}
	if pv.Version != pol.Version() {
		return refuse("preview %d is of policy %s, not of this one (%s): preview this policy", id, pv.Version, pol.Version())
	}
	if age := s.now().Sub(pv.CreatedAt); age > s.previewMaxAge {
		return refuse("preview %d is %s old; a change needs one no older than %s: preview the policy again", id, age.Round(time.Minute), s.previewMaxAge)
	}
	return nil
}

// policyAudit is the admin audit row of a change from before to after.
func (s *Service) policyAudit(p Principal, action string, before, after *Policy, reason string, extra map[string]any) AdminAudit {
	detail := map[string]any{"version": after.Version(), "previous_version": before.Version(), "reason": reason}
	for k, v := range extra {
		detail[k] = v
	}
	return AdminAudit{At: s.now().UTC(), Actor: p.Actor(), Action: action, Subject: AuditSubjectPolicy, Detail: detail}
}

// mayGovern checks p administers and a policy store is configured.
func (s *Service) mayGovern(p Principal, what string) error {
	if !p.CanAdminister() {
		return Authorize(false, p, what)
	}
	if s.policies == nil {
		return Errorf(EUNAVAILABLE, "no policy store is configured")
	}
	return nil
}

// mayReadGovernance checks p reads everything and a store is configured.
func (s *Service) mayReadGovernance(p Principal) error {
	if !p.CanReadAll() {
		return Authorize(false, p, "read the policy's history")
	}
	if s.policies == nil {
		return Errorf(EUNAVAILABLE, "no policy store is configured")
	}
	return nil
}

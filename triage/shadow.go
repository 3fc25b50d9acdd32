package triage

import (
	"context"
	"io"
	"time"
)

// Shadow is a candidate policy deciding beside the active one on live
// traffic: its decisions are recorded, never acted on.
type Shadow struct {
	ID        int64      `json:"id"`
	Version   string     `json:"version"`
	Policy    *Policy    `json:"policy"`
	PreviewID int64      `json:"preview_id"`
	Reason    string     `json:"reason"`
	StartedBy string     `json:"started_by"`
	StartedAt time.Time  `json:"started_at"`
	EndedBy   string     `json:"ended_by,omitempty"`
	EndedAt   *time.Time `json:"ended_at,omitempty"`
	// Outcome is ShadowPromoted or ShadowDiscarded once ended.
	Outcome string `json:"outcome,omitempty"`
}

// Shadow outcomes.
const (
	ShadowPromoted  = "promoted"
	ShadowDiscarded = "discarded"
)

// ShadowDecision is what the shadow decided for one real decision.
type ShadowDecision struct {
	ShadowID      int64     `json:"shadow_id"`
	ExceptionID   int64     `json:"exception_id"`
	DecisionID    int64     `json:"decision_id"`
	Type          Type      `json:"type"`
	RootCause     string    `json:"root_cause"`
	Action        string    `json:"action"`
	Confidence    float64   `json:"confidence"`
	ActiveVersion string    `json:"active_version"`
	ActiveOutcome Outcome   `json:"active_outcome"`
	ActiveQueue   Queue     `json:"active_queue"`
	ShadowVersion string    `json:"shadow_version"`
	ShadowOutcome Outcome   `json:"shadow_outcome"`
	ShadowQueue   Queue     `json:"shadow_queue"`
	DecidedAt     time.Time `json:"decided_at"`
	// Judgement is what people later said of the item (read back only).
	Judgement Judgement `json:"judgement"`
}

// Agrees reports whether the shadow decided as the active policy did.
func (d ShadowDecision) Agrees() bool {
	return d.ActiveOutcome == d.ShadowOutcome && d.ActiveQueue == d.ShadowQueue
}

// StartShadow runs the policy in body in shadow beside the active one, if
// p administers and req names a fresh preview of it (the same rule as an
// activation, so the shadow's evidence adds to the preview's). One shadow
// runs at a time.
func (s *Service) StartShadow(ctx context.Context, p Principal, body io.Reader, req ChangeRequest) (Shadow, error) {
	if err := s.mayGovern(p, "start a shadow policy"); err != nil {
		return Shadow{}, err
	}
	pol, err := ParsePolicy(body)
	if err != nil {
		return Shadow{}, err
	}
	if err := checkReason(req.Reason); err != nil {
		return Shadow{}, err
	}
	active := s.Policy()
	if pol.Version() == active.Version() {
		return Shadow{}, Errorf(ECONFLICT, "policy %s is the one in force; a shadow must differ from it", pol.Version())
	}
	if err := s.checkPreview(ctx, req.PreviewID, pol); err != nil {
		return Shadow{}, err
	}
	sh := Shadow{Version: pol.Version(), Policy: pol, PreviewID: req.PreviewID, Reason: req.Reason,
		StartedBy: p.Actor(), StartedAt: s.now().UTC()}
	sh, err = s.policies.StartShadow(ctx, sh, s.policyAudit(p, AuditShadowStarted, active, pol, req.Reason,
		map[string]any{"preview_id": req.PreviewID}))
	if err != nil {
		return Shadow{}, err
	}
	s.shadow.Store(&sh)
	return sh, nil
}

// LoadShadow picks up the shadow running in the store, for a service
// that starts while one runs; without a store it does nothing.
func (s *Service) LoadShadow(ctx context.Context) error {
	if s.policies == nil {
		return nil
	}
	return loadRunning(ctx, &s.shadow, s.policies.RunningShadow)
}

// RunningShadow returns the shadow this service runs, nil when none.
func (s *Service) RunningShadow() *Shadow { return s.shadow.Load() }

// shadowDecide records what the shadow policy decides from the decision
// just saved: the same suggestion, risk and holds. It changes nothing of
// the item (no status, queue, enrichment, audit row or event); a failure
// to record is logged, never the decision's.
func (s *Service) shadowDecide(ctx context.Context, ex Exception, d Decision) {
	sh := s.shadow.Load()
	if sh == nil || s.policies == nil {
		return
	}
	res := Replay(sh.Policy, &ex, d)
	sd := ShadowDecision{ShadowID: sh.ID, ExceptionID: ex.ID, DecisionID: d.ID, Type: ex.Type,
		RootCause: d.RootCause, Action: d.Action, Confidence: d.Confidence,
		ActiveVersion: d.PolicyVersion, ActiveOutcome: d.Outcome, ActiveQueue: d.AssignedQueue,
		ShadowVersion: sh.Version, ShadowOutcome: res.Outcome, ShadowQueue: res.Queue, DecidedAt: d.DecidedAt}
	if err := s.policies.SaveShadowDecision(ctx, sd); err != nil {
		s.log.Warn("recording the shadow policy's decision failed", "exception", ex.ID, "shadow", sh.ID, "err", err)
	}
}

// PromoteShadow makes the shadow the policy in force, as one audited
// action: the new version, the end of the shadow and the audit row (with
// the shadow's report) commit together, then this service switches. The
// shadow's preview and its report on live traffic are the evidence; the
// preview's age is not checked again, since the shadow ran after it.
func (s *Service) PromoteShadow(ctx context.Context, p Principal, id int64, reason string) (PolicyVersion, error) {
	if err := s.mayGovern(p, "promote a shadow policy"); err != nil {
		return PolicyVersion{}, err
	}
	if err := checkReason(reason); err != nil {
		return PolicyVersion{}, err
	}
	rep, err := s.shadowReport(ctx, id)
	if err != nil {
		return PolicyVersion{}, err
	}
	sh := rep.Shadow
	if sh.EndedAt != nil {
		return PolicyVersion{}, Errorf(ECONFLICT, "shadow %d was %s already", id, sh.Outcome)
	}
	active := s.Policy()
	v := PolicyVersion{Version: sh.Version, Policy: sh.Policy, Change: ChangePromote, CreatedBy: p.Actor(),
		Reason: reason, PreviewID: &sh.PreviewID, ShadowID: &sh.ID}
	saved, err := s.policies.ActivateVersion(ctx, v, s.policyAudit(p, AuditPolicyPromoted, active, sh.Policy, reason,
		map[string]any{"shadow_id": sh.ID, "preview_id": sh.PreviewID, "shadow_decisions": rep.Decisions,
			"agreement": rep.Agreement, "precision_active": rep.Active.Precision, "precision_shadow": rep.Candidate.Precision}))
	if err != nil {
		return PolicyVersion{}, err
	}
	s.policy.Store(sh.Policy)
	clearRunning(&s.shadow, sh.ID, func(sh *Shadow) int64 { return sh.ID })
	return saved, nil
}

// DiscardShadow stops a shadow without changing the policy in force.
func (s *Service) DiscardShadow(ctx context.Context, p Principal, id int64, reason string) error {
	if err := s.mayGovern(p, "discard a shadow policy"); err != nil {
		return err
	}
	if err := checkReason(reason); err != nil {
		return err
	}
	sh, err := s.policies.Shadow(ctx, id)
	if err != nil {
		return err
	}
	audit := s.policyAudit(p, AuditShadowDiscarded, s.Policy(), sh.Policy, reason, map[string]any{"shadow_id": id})
	if err := s.policies.DiscardShadow(ctx, id, audit); err != nil {
		return err
	}
	clearRunning(&s.shadow, id, func(sh *Shadow) int64 { return sh.ID })
	return nil
}

// RefreshPolicy re-reads the policy in force and the running shadows (of
// the policy, the risk model and the classifier) from
// the store, so that a change, promotion or discard made through another
// replica takes effect here too. Without a store, or with no stored
// policy, it keeps what it has.
func (s *Service) RefreshPolicy(ctx context.Context) error {
	if err := s.LoadModelShadow(ctx); err != nil {
		return err
	}
	if err := s.LoadClassifierShadow(ctx); err != nil {
		return err
	}
	if s.policies == nil {
		return nil
	}
	p, err := s.policies.ActivePolicy(ctx)
	switch ErrorCode(err) {
	case "":
		if p.Version() != s.Policy().Version() {
			s.policy.Store(p)
		}
	case ENOTFOUND:
	default:
		return err
	}
	return s.LoadShadow(ctx)
}

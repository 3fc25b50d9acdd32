package triage

import (
	"context"
	"time"
)

// ModelShadow is a stored risk model scoring beside the active one on
// live traffic: its scores are recorded apart and never acted on.
type ModelShadow struct {
	ID int64 `json:"id"`
	// Version is the candidate model; ActiveVersion the one in force when
	// the shadow started.
	Version       string     `json:"version"`
	ActiveVersion string     `json:"active_version"`
	Reason        string     `json:"reason"`
	StartedBy     string     `json:"started_by"`
	StartedAt     time.Time  `json:"started_at"`
	EndedBy       string     `json:"ended_by,omitempty"`
	EndedAt       *time.Time `json:"ended_at,omitempty"`
	// Outcome is ShadowPromoted or ShadowDiscarded once ended.
	Outcome string `json:"outcome,omitempty"`
}

// ModelShadowScore is the candidate's score of one risk-scored decision,
// beside the active model's, and the outcome each would give under the
// policy in force.
type ModelShadowScore struct {
	ShadowID         int64     `json:"shadow_id"`
	ExceptionID      int64     `json:"exception_id"`
	DecisionID       int64     `json:"decision_id"`
	InvoiceID        string    `json:"invoice_id"`
	Type             Type      `json:"type"`
	ActiveVersion    string    `json:"active_version"`
	ActiveScore      float64   `json:"active_score"`
	ActiveOutcome    Outcome   `json:"active_outcome"`
	ActiveQueue      Queue     `json:"active_queue"`
	CandidateVersion string    `json:"candidate_version"`
	CandidateScore   float64   `json:"candidate_score"`
	CandidateOutcome Outcome   `json:"candidate_outcome"`
	CandidateQueue   Queue     `json:"candidate_queue"`
	DecidedAt        time.Time `json:"decided_at"`
	// Known and Late are read back: whether the invoice's payment outcome
	// is known by the report's time, and whether it was late.
	Known bool `json:"known"`
	Late  bool `json:"late"`
}

// Changed reports whether the candidate's score would have changed the
// item's outcome or queue.
func (c ModelShadowScore) Changed() bool {
	return c.ActiveOutcome != c.CandidateOutcome || c.ActiveQueue != c.CandidateQueue
}

// ModelShadowStore keeps risk-model shadows and their scores.
type ModelShadowStore interface {
	// StartModelShadow stores a running shadow with its audit row; a
	// second running one is ECONFLICT.
	StartModelShadow(ctx context.Context, sh ModelShadow, audit AdminAudit) (ModelShadow, error)
	// RunningModelShadow returns the running shadow, ENOTFOUND if none.
	RunningModelShadow(ctx context.Context) (ModelShadow, error)
	ModelShadow(ctx context.Context, id int64) (ModelShadow, error)
	SaveModelShadowScore(ctx context.Context, sc ModelShadowScore) error
	// ModelShadowScores returns a shadow's newest limit scores, newest
	// first, with whether each invoice's outcome is known at asOf.
	ModelShadowScores(ctx context.Context, id int64, asOf time.Time, limit int) ([]ModelShadowScore, error)
	// PromoteModelShadow ends the running shadow id as promoted, makes its
	// model the active one and writes audit, all or nothing.
	PromoteModelShadow(ctx context.Context, id int64, audit AdminAudit) error
	// DiscardModelShadow ends the running shadow id as discarded.
	DiscardModelShadow(ctx context.Context, id int64, audit AdminAudit) error
}

// CandidateScorer scores an exception's invoice with a stored model other
// than the active one; nil (and no error) when there is nothing to score.
type CandidateScorer interface {
	ScoreWith(ctx context.Context, version string, ex Exception) (*Risk, error)
}

// Admin audit actions and subject of risk-model changes.
const (
	AuditModelShadowStarted   = "model_shadow.started"
	AuditModelPromoted        = "model.promoted"
	AuditModelShadowDiscarded = "model_shadow.discarded"
	AuditSubjectModel         = "risk_model"
)

// StartModelShadow runs the stored, non-active risk model version in
// shadow beside the active one, if p administers. One runs at a time.
func (s *Service) StartModelShadow(ctx context.Context, p Principal, version, reason string) (ModelShadow, error) {
	if err := s.mayShadowModels(p, "start a shadow risk model"); err != nil {
		return ModelShadow{}, err
	}
	if err := checkReason(reason); err != nil {
		return ModelShadow{}, err
	}
	m, err := s.storedModel(ctx, version)
	if err != nil {
		return ModelShadow{}, err
	}
	if m.Active {
		return ModelShadow{}, Errorf(ECONFLICT, "model %s is the active one; a shadow must differ from it", version)
	}
	active, err := s.models.ActiveModelVersion(ctx)
	if err != nil {
		return ModelShadow{}, err
	}
	sh := ModelShadow{Version: version, ActiveVersion: active, Reason: reason, StartedBy: p.Actor(), StartedAt: s.now().UTC()}
	sh, err = s.modelShadows.StartModelShadow(ctx, sh, s.modelAudit(p, AuditModelShadowStarted, sh, reason, nil))
	if err != nil {
		return ModelShadow{}, err
	}
	s.modelShadow.Store(&sh)
	return sh, nil
}

// storedModel finds version in the registry: Invalid for an empty name,
// ENOTFOUND when absent, ECONFLICT when trained with other features.
func (s *Service) storedModel(ctx context.Context, version string) (RiskModel, error) {
	if version == "" || len(version) > MaxReasonLen {
		return RiskModel{}, Invalid("version", "must name a stored risk model")
	}
	ms, err := s.models.ListModels(ctx)
	if err != nil {
		return RiskModel{}, err
	}
	for _, m := range ms {
		if m.Version != version {
			continue
		}
		if s.featureHash != "" && m.FeatureHash != s.featureHash {
			return m, Errorf(ECONFLICT, "model %s was trained with features %s but this build computes %s: retrain it", version, m.FeatureHash, s.featureHash)
		}
		return m, nil
	}
	return RiskModel{}, Errorf(ENOTFOUND, "no risk model %s", version)
}

// LoadModelShadow picks up the risk-model shadow running in the store, so
// a replica scores with it too; without a store it does nothing.
func (s *Service) LoadModelShadow(ctx context.Context) error {
	if s.modelShadows == nil {
		return nil
	}
	return loadRunning(ctx, &s.modelShadow, s.modelShadows.RunningModelShadow)
}

// RunningModelShadow returns the risk-model shadow this service runs, nil
// when none.
func (s *Service) RunningModelShadow() *ModelShadow { return s.modelShadow.Load() }

// shadowRisk is the candidate model's score of ex, taken right after the
// active model's so that both read the same facts (the customer's open
// items change once the item is decided): nil when no shadow runs, the
// active model did not score, or the outcome was already certain (both
// models then say 0 or 1). A failure is logged, never the decision's.
func (s *Service) shadowRisk(ctx context.Context, ex Exception, active *Risk) *candidateRisk {
	sh := s.modelShadow.Load()
	if sh == nil || s.candidate == nil || s.modelShadows == nil || active == nil || active.Known {
		return nil
	}
	r, err := s.candidate.ScoreWith(ctx, sh.Version, ex)
	if err != nil {
		s.log.Warn("the shadow risk model failed to score", "exception", ex.ID, "shadow", sh.ID, "err", err)
	}
	if r == nil {
		return nil
	}
	return &candidateRisk{shadow: sh, risk: r}
}

// candidateRisk is a candidate's score and the shadow it belongs to.
type candidateRisk struct {
	shadow *ModelShadow
	risk   *Risk
}

// shadowScore records the candidate's score of the decision just saved,
// beside the active model's. It changes nothing of the item; a failure to
// record is logged, never the decision's.
func (s *Service) shadowScore(ctx context.Context, ex Exception, d Decision, sr *candidateRisk) {
	if sr == nil || d.Risk == nil {
		return
	}
	sh, r := sr.shadow, sr.risk
	// Both outcomes are replayed under the policy in force, so that they
	// differ only by the risk score.
	pol := s.Policy()
	active := Replay(pol, &ex, d)
	cd := d
	cd.Risk = r
	cand := Replay(pol, &ex, cd)
	sc := ModelShadowScore{ShadowID: sh.ID, ExceptionID: ex.ID, DecisionID: d.ID, InvoiceID: ex.InvoiceID, Type: ex.Type,
		ActiveVersion: d.Risk.ModelVersion, ActiveScore: d.Risk.Probability, ActiveOutcome: active.Outcome, ActiveQueue: active.Queue,
		CandidateVersion: sh.Version, CandidateScore: r.Probability, CandidateOutcome: cand.Outcome, CandidateQueue: cand.Queue,
		DecidedAt: d.DecidedAt}
	if err := s.modelShadows.SaveModelShadowScore(ctx, sc); err != nil {
		s.log.Warn("recording the shadow risk model's score failed", "exception", ex.ID, "shadow", sh.ID, "err", err)
	}
}

// PromoteModelShadow makes the shadow's model the active one and ends the
// shadow, as one audited action carrying the shadow's report.
func (s *Service) PromoteModelShadow(ctx context.Context, p Principal, id int64, reason string) (ModelShadow, error) {
	if err := s.mayShadowModels(p, "promote a shadow risk model"); err != nil {
		return ModelShadow{}, err
	}
	if err := checkReason(reason); err != nil {
		return ModelShadow{}, err
	}
	rep, err := s.modelShadowReport(ctx, id)
	if err != nil {
		return ModelShadow{}, err
	}
	sh := rep.Shadow
	if sh.EndedAt != nil {
		return ModelShadow{}, Errorf(ECONFLICT, "shadow %d was %s already", id, sh.Outcome)
	}
	if _, err := s.storedModel(ctx, sh.Version); err != nil {
		return ModelShadow{}, err
	}
	audit := s.modelAudit(p, AuditModelPromoted, sh, reason, map[string]any{"scored": rep.Scored, "outcome_changed": rep.OutcomeChanged,
		"mean_abs_diff": rep.MeanAbsDiff, "known": rep.Known, "brier_active": rep.Active.Brier, "brier_candidate": rep.Candidate.Brier,
		"auc_active": rep.Active.AUC, "auc_candidate": rep.Candidate.AUC})
	if err := s.modelShadows.PromoteModelShadow(ctx, id, audit); err != nil {
		return ModelShadow{}, err
	}
	s.clearModelShadow(id)
	return s.modelShadows.ModelShadow(ctx, id)
}

// DiscardModelShadow stops a risk-model shadow without changing the active
// model.
func (s *Service) DiscardModelShadow(ctx context.Context, p Principal, id int64, reason string) error {
	if err := s.mayShadowModels(p, "discard a shadow risk model"); err != nil {
		return err
	}
	if err := checkReason(reason); err != nil {
		return err
	}
	sh, err := s.modelShadows.ModelShadow(ctx, id)
	if err != nil {
		return err
	}
	if err := s.modelShadows.DiscardModelShadow(ctx, id, s.modelAudit(p, AuditModelShadowDiscarded, sh, reason, nil)); err != nil {
		return err
	}
	s.clearModelShadow(id)
	return nil
}

func (s *Service) clearModelShadow(id int64) {
	clearRunning(&s.modelShadow, id, func(sh *ModelShadow) int64 { return sh.ID })
}

func (s *Service) modelAudit(p Principal, action string, sh ModelShadow, reason string, extra map[string]any) AdminAudit {
	detail := map[string]any{"version": sh.Version, "previous_version": sh.ActiveVersion, "reason": reason, "shadow_id": sh.ID}
	for k, v := range extra {
		detail[k] = v
	}
	return AdminAudit{At: s.now().UTC(), Actor: p.Actor(), Action: action, Subject: AuditSubjectModel, Detail: detail}
}

// mayShadowModels checks p administers and the model stores are
// configured.
func (s *Service) mayShadowModels(p Principal, what string) error {
	if !p.CanAdminister() {
		return Authorize(false, p, what)
	}
	if s.models == nil || s.modelShadows == nil {
		return Errorf(EUNAVAILABLE, "no model registry is configured")
	}
	return nil
}

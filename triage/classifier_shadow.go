package triage

import (
	"context"
	"time"
)

// ClassifierVersion is one stored version of a type's text classifier.
// InUse marks the newest of its key: the one every replica serves.
type ClassifierVersion struct {
	Version   int64     `json:"version"`
	Type      Type      `json:"type"`
	Embedder  string    `json:"embedder"`
	Config    string    `json:"config"`
	TrainedOn int       `json:"trained_on"`
	CreatedAt time.Time `json:"created_at"`
	InUse     bool      `json:"in_use"`
	// PromotedFrom names the version a promotion copied, 0 otherwise.
	PromotedFrom int64 `json:"promoted_from,omitempty"`
}

// ClassifierShadow is a stored classifier version of one type predicting
// beside the one in use on live traffic: its suggestions are recorded
// apart and never acted on.
type ClassifierShadow struct {
	ID   int64 `json:"id"`
	Type Type  `json:"type"`
	// Version is the candidate; ActiveVersion the one in use when the
	// shadow started.
	Version       int64      `json:"version"`
	ActiveVersion int64      `json:"active_version"`
	Reason        string     `json:"reason"`
	StartedBy     string     `json:"started_by"`
	StartedAt     time.Time  `json:"started_at"`
	EndedBy       string     `json:"ended_by,omitempty"`
	EndedAt       *time.Time `json:"ended_at,omitempty"`
	Outcome       string     `json:"outcome,omitempty"`
	// PromotedAs is the version the promotion stored the candidate as.
	PromotedAs int64 `json:"promoted_as,omitempty"`
}

// ClassifierShadowPrediction is the candidate's suggestion for one real
// decision beside the active one's, and the outcome each would give
// under the policy in force.
type ClassifierShadowPrediction struct {
	ShadowID            int64     `json:"shadow_id"`
	ExceptionID         int64     `json:"exception_id"`
	DecisionID          int64     `json:"decision_id"`
	Type                Type      `json:"type"`
	ActiveModel         string    `json:"active_model"`
	ActiveRootCause     string    `json:"active_root_cause"`
	ActiveAction        string    `json:"active_action"`
	ActiveConfidence    float64   `json:"active_confidence"`
	ActiveOutcome       Outcome   `json:"active_outcome"`
	ActiveQueue         Queue     `json:"active_queue"`
	CandidateRootCause  string    `json:"candidate_root_cause"`
	CandidateAction     string    `json:"candidate_action"`
	CandidateConfidence float64   `json:"candidate_confidence"`
	CandidateOutcome    Outcome   `json:"candidate_outcome"`
	CandidateQueue      Queue     `json:"candidate_queue"`
	DecidedAt           time.Time `json:"decided_at"`
	// Judged, RootCause and Action are read back: whether a person has
	// resolved the item since, and how.
	Judged    bool   `json:"judged"`
	RootCause string `json:"resolved_root_cause,omitempty"`
	Action    string `json:"resolved_action,omitempty"`
}

// Agrees reports whether both versions suggest the same root cause and
// action.
func (c ClassifierShadowPrediction) Agrees() bool {
	return c.ActiveRootCause == c.CandidateRootCause && c.ActiveAction == c.CandidateAction
}

// Changed reports whether the candidate would change the outcome or queue.
func (c ClassifierShadowPrediction) Changed() bool {
	return c.ActiveOutcome != c.CandidateOutcome || c.ActiveQueue != c.CandidateQueue
}

// ClassifierShadowStore keeps the stored classifier versions and the
// classifier shadows with their predictions.
type ClassifierShadowStore interface {
	ClassifierVersions(ctx context.Context) ([]ClassifierVersion, error)
	// StartClassifierShadow stores a running shadow with its audit row;
	// a second running one is ECONFLICT.
	StartClassifierShadow(ctx context.Context, sh ClassifierShadow, audit AdminAudit) (ClassifierShadow, error)
	// RunningClassifierShadow returns the running shadow, ENOTFOUND if none.
	RunningClassifierShadow(ctx context.Context) (ClassifierShadow, error)
	ClassifierShadow(ctx context.Context, id int64) (ClassifierShadow, error)
	SaveClassifierShadowPrediction(ctx context.Context, p ClassifierShadowPrediction) error
	// ClassifierShadowPredictions returns a shadow's newest limit
	// predictions, newest first, with the person's resolution if any.
	ClassifierShadowPredictions(ctx context.Context, id int64, limit int) ([]ClassifierShadowPrediction, error)
	// PromoteClassifierShadow ends the running shadow id as promoted,
	// stores its model again as the newest version of its key and writes
	// audit, all or nothing.
	PromoteClassifierShadow(ctx context.Context, id int64, audit AdminAudit) (ClassifierShadow, error)
	// DiscardClassifierShadow ends the running shadow id as discarded.
	DiscardClassifierShadow(ctx context.Context, id int64, audit AdminAudit) error
}

// CandidateClassifier predicts with one stored classifier version rather
// than the one in use.
type CandidateClassifier interface {
	PredictWith(ctx context.Context, version int64, t Type, text string, vec []float32, ns []Neighbor) ([]ClassScore, error)
}

// Admin audit actions and subject of classifier changes.
const (
	AuditClassifierShadowStarted   = "classifier_shadow.started"
	AuditClassifierPromoted        = "classifier.promoted"
	AuditClassifierShadowDiscarded = "classifier_shadow.discarded"
	AuditSubjectClassifier         = "classifier"
)

// ClassifierVersions lists the stored classifier versions; admins and
// analysts may read them.
func (s *Service) ClassifierVersions(ctx context.Context, p Principal) ([]ClassifierVersion, error) {
	if !p.CanReadAll() {
		return nil, Authorize(false, p, "list the classifier versions")
	}
	if s.clfShadows == nil {
		return nil, Errorf(EUNAVAILABLE, "no classifier registry is configured")
	}
	return s.clfShadows.ClassifierVersions(ctx)
}

// StartClassifierShadow runs the stored classifier version, which must
// not be the one in use for its type, beside that one, if p administers.
func (s *Service) StartClassifierShadow(ctx context.Context, p Principal, t Type, version int64, reason string) (ClassifierShadow, error) {
	if err := s.mayShadowClassifiers(p, "start a shadow classifier"); err != nil {
		return ClassifierShadow{}, err
	}
	if err := checkReason(reason); err != nil {
		return ClassifierShadow{}, err
	}
	if !t.Valid() {
		return ClassifierShadow{}, Invalid("type", "unknown type %q (want one of %s)", t, joinTypes())
	}
	if version < 1 {
		return ClassifierShadow{}, Invalid("version", "must be a positive integer")
	}
	cand, active, err := s.classifierPair(ctx, t, version)
	if err != nil {
		return ClassifierShadow{}, err
	}
	sh := ClassifierShadow{Type: t, Version: cand.Version, ActiveVersion: active.Version, Reason: reason,
		StartedBy: p.Actor(), StartedAt: s.now().UTC()}
	sh, err = s.clfShadows.StartClassifierShadow(ctx, sh, s.classifierAudit(p, AuditClassifierShadowStarted, sh, reason, nil))
	if err != nil {
		return ClassifierShadow{}, err
	}
	s.clfShadow.Store(&sh)
	return sh, nil
}

// classifierPair finds version and the version in use of its key:
// ENOTFOUND when absent or of another type, ECONFLICT when it is in use.
func (s *Service) classifierPair(ctx context.Context, t Type, version int64) (cand, active ClassifierVersion, err error) {
	vs, err := s.clfShadows.ClassifierVersions(ctx)
	if err != nil {
		return cand, active, err
	}
	for _, v := range vs {
		if v.Version == version && v.Type == t {
			cand = v
		}
	}
	if cand.Version == 0 {
		return cand, active, Errorf(ENOTFOUND, "no classifier version %d of type %s", version, t)
	}
	if cand.InUse {
		return cand, active, Errorf(ECONFLICT, "classifier version %d is the one in use; a shadow must differ from it", version)
	}
	for _, v := range vs {
		if v.InUse && v.Type == cand.Type && v.Embedder == cand.Embedder && v.Config == cand.Config {
			active = v
		}
	}
	return cand, active, nil
}

// LoadClassifierShadow picks up the classifier shadow running in the
// store, so a replica predicts with it too.
func (s *Service) LoadClassifierShadow(ctx context.Context) error {
	if s.clfShadows == nil {
		return nil
	}
	return loadRunning(ctx, &s.clfShadow, s.clfShadows.RunningClassifierShadow)
}

// RunningClassifierShadow returns the classifier shadow this service
// runs, nil when none.
func (s *Service) RunningClassifierShadow() *ClassifierShadow { return s.clfShadow.Load() }

// candidateSuggestion is a candidate classifier's suggestion and its shadow.
type candidateSuggestion struct {
	shadow *ClassifierShadow
	sug    Suggestion
}

// shadowClassify is the candidate classifier's suggestion on the same
// text, vector and neighbours the active one saw: nil when no shadow of
// t runs. A failure is logged, never the decision's.
func (s *Service) shadowClassify(ctx context.Context, t Type, text string, vec []float32, ns []Neighbor) *candidateSuggestion {
	sh := s.clfShadow.Load()
	if sh == nil || sh.Type != t || s.clfCandidate == nil || s.clfShadows == nil {
		return nil
	}
	scores, err := s.clfCandidate.PredictWith(ctx, sh.Version, t, text, vec, ns)
	if err != nil {
		s.log.Warn("the shadow classifier failed to predict", "type", t, "shadow", sh.ID, "err", err)
		return nil
	}
	return &candidateSuggestion{shadow: sh, sug: combine(s.matcher.Suggest(ns), scores, ns)}
}

// shadowSuggest records the candidate's suggestion for the decision just
// saved and the outcome the policy in force would give with it. It
// changes nothing of the item; a failure to record is logged.
func (s *Service) shadowSuggest(ctx context.Context, ex Exception, d Decision, cs *candidateSuggestion) {
	if cs == nil {
		return
	}
	pol := s.Policy()
	active := Replay(pol, &ex, d)
	cd := d
	cd.Suggestion = cs.sug
	cand := Replay(pol, &ex, cd)
	pr := ClassifierShadowPrediction{ShadowID: cs.shadow.ID, ExceptionID: ex.ID, DecisionID: d.ID, Type: ex.Type, ActiveModel: d.ModelVersion,
		ActiveRootCause: d.RootCause, ActiveAction: d.Action, ActiveConfidence: d.Confidence, ActiveOutcome: active.Outcome, ActiveQueue: active.Queue,
		CandidateRootCause: cs.sug.RootCause, CandidateAction: cs.sug.Action, CandidateConfidence: cs.sug.Confidence,
		CandidateOutcome: cand.Outcome, CandidateQueue: cand.Queue, DecidedAt: d.DecidedAt}
	if err := s.clfShadows.SaveClassifierShadowPrediction(ctx, pr); err != nil {
		s.log.Warn("recording the shadow classifier's suggestion failed", "exception", ex.ID, "shadow", cs.shadow.ID, "err", err)
	}
}

// PromoteClassifierShadow makes the candidate the version in use, by
// storing it again as the newest version of its key, and ends the shadow,
// as one audited action carrying the shadow's report.
func (s *Service) PromoteClassifierShadow(ctx context.Context, p Principal, id int64, reason string) (ClassifierShadow, error) {
	if err := s.mayShadowClassifiers(p, "promote a shadow classifier"); err != nil {
		return ClassifierShadow{}, err
	}
	if err := checkReason(reason); err != nil {
		return ClassifierShadow{}, err
	}
	rep, err := s.classifierShadowReport(ctx, id)
	if err != nil {
		return ClassifierShadow{}, err
	}
	sh := rep.Shadow
	if sh.EndedAt != nil {
		return ClassifierShadow{}, Errorf(ECONFLICT, "classifier shadow %d was %s already", id, sh.Outcome)
	}
	audit := s.classifierAudit(p, AuditClassifierPromoted, sh, reason, map[string]any{"predicted": rep.Predicted,
		"agreement": rep.Agreement, "outcome_changed": rep.OutcomeChanged, "judged": rep.Judged,
		"right_active": rep.Active.Right, "right_candidate": rep.Candidate.Right})
	out, err := s.clfShadows.PromoteClassifierShadow(ctx, id, audit)
	if err != nil {
		return ClassifierShadow{}, err
	}
	s.clearClassifierShadow(id)
	return out, nil
}

// DiscardClassifierShadow stops a classifier shadow; the version in use
// stays.
func (s *Service) DiscardClassifierShadow(ctx context.Context, p Principal, id int64, reason string) error {
	if err := s.mayShadowClassifiers(p, "discard a shadow classifier"); err != nil {
		return err
	}
	if err := checkReason(reason); err != nil {
		return err
	}
	sh, err := s.clfShadows.ClassifierShadow(ctx, id)
	if err != nil {
		return err
	}
	if err := s.clfShadows.DiscardClassifierShadow(ctx, id, s.classifierAudit(p, AuditClassifierShadowDiscarded, sh, reason, nil)); err != nil {
		return err
	}
	s.clearClassifierShadow(id)
	return nil
}

func (s *Service) clearClassifierShadow(id int64) {
	clearRunning(&s.clfShadow, id, func(sh *ClassifierShadow) int64 { return sh.ID })
}

func (s *Service) classifierAudit(p Principal, action string, sh ClassifierShadow, reason string, extra map[string]any) AdminAudit {
	detail := map[string]any{"type": sh.Type, "version": sh.Version, "previous_version": sh.ActiveVersion, "reason": reason, "shadow_id": sh.ID}
	for k, v := range extra {
		detail[k] = v
	}
	return AdminAudit{At: s.now().UTC(), Actor: p.Actor(), Action: action, Subject: AuditSubjectClassifier, Detail: detail}
}

// mayShadowClassifiers checks p administers and the stores are configured.
func (s *Service) mayShadowClassifiers(p Principal, what string) error {
	if !p.CanAdminister() {
		return Authorize(false, p, what)
	}
	if s.clfShadows == nil {
		return Errorf(EUNAVAILABLE, "no classifier registry is configured")
	}
	return nil
}

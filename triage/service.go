package triage

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// Service is the triage pipeline: embed, match, suggest, decide, record.
// The API, the CLI and the eval harness all go through it, so what is
// measured is what runs.
type Service struct {
	store    Store
	embedder Embedder
	matcher  Matcher
	policy   atomic.Pointer[Policy]
	now      func() time.Time
	log      *slog.Logger
	obs      Observer
	risk     RiskScorer
	// enrichCfg weighs correction evidence.
	enrichCfg EnrichConfig
	prepare   Preparer
	clf       Classifier
	policies  PolicyStore
	// previewMaxAge is how old a preview may be for its policy to be
	// activated or shadowed.
	previewMaxAge time.Duration
	// shadow is the candidate policy deciding beside the active one, nil
	// when none runs.
	shadow atomic.Pointer[Shadow]
	models ModelStore
	// featureHash names the risk features this build computes.
	featureHash string
	outbox      Outbox
	postings    PostingStore
	views       ViewStore
	patterns    PatternStore
	// shapes caches the key shapes learned from the corrections memory.
	shapes shapeCache
	// params caches the parameter schemas learned per action.
	params learnedCache[*ParamSchema]
	// words caches the cause words learned per type.
	words learnedCache[*CauseWords]
	// priors caches each correction field's prior (its consistency).
	priors learnedCache[Prior]
	// checkHistory, checkCfg and checkLearned serve the pre-release checks.
	checkHistory CheckHistoryStore
	checkCfg     CheckConfig
	checkLearned learnedCache[*CheckKnowledge]
	// drift and driftCfg serve schema-drift detection.
	drift    DriftStore
	driftCfg DriftConfig
	// drift keeps the drift alarms and the brake's pauses; pauses caches
	// the latter for PauseTTL.
	alarms AlarmStore
	pauses pauseCache
	// modelShadows, candidate and modelShadow serve the risk-model shadow.
	modelShadows ModelShadowStore
	candidate    CandidateScorer
	modelShadow  atomic.Pointer[ModelShadow]
	// clfShadows, clfCandidate and clfShadow serve the classifier shadow.
	clfShadows   ClassifierShadowStore
	clfCandidate CandidateClassifier
	clfShadow    atomic.Pointer[ClassifierShadow]
}

// Config configures a Service. Store and Embedder are required.
type Config struct {
	Store    Store
	Embedder Embedder
	Policy   *Policy  // DefaultPolicy() when nil
	Matcher  *Matcher // DefaultMatcher when nil
	Now      func() time.Time
	Logger   *slog.Logger
	Observer Observer   // told about decisions and resolutions; optional
	Risk     RiskScorer // scores the invoice's collection risk; optional
	Prepare  Preparer   // the text to embed; PrepareText when nil
	// Classifier, when set, decides the root cause and action; the
	// precedents then explain. Without it the kNN vote decides.
	Classifier Classifier
	// Policies keeps the policies put in force; without it ChangePolicy
	// is unavailable.
	Policies PolicyStore
	// PreviewMaxAge is how old a preview may be when its policy is
	// activated or shadowed; DefaultPreviewMaxAge when zero.
	PreviewMaxAge time.Duration
	// Models is the risk-model registry; without it Models and
	// ActivateModel are unavailable.
	Models ModelStore
	// FeatureHash names the risk features this build computes;
	// ActivateModel refuses a model trained with others.
	FeatureHash string
	// Outbox keeps webhook endpoints and deliveries; without it their
	// methods are unavailable.
	Outbox Outbox
	// Postings keeps ERP posting outcomes; without it ReportPosting is
	// unavailable.
	Postings PostingStore
	// Views keeps people's saved queue views; without it SavedViews and
	// SaveView are unavailable.
	Views ViewStore
	// Patterns keeps detected patterns; without it pattern detection and
	// its reads are unavailable.
	Patterns PatternStore
	// CheckHistory is what the pre-release checks learn from; without it
	// CheckInvoices is unavailable.
	CheckHistory CheckHistoryStore
	// Checks tunes the pre-release checks.
	Checks CheckConfig
	// Drift keeps schema-drift findings; without it DetectDrift and
	// DriftFindings are unavailable.
	Drift DriftStore
	// DriftConfig tunes drift detection and names the integration
	// owners' queue.
	DriftConfig DriftConfig
	// Alarms keeps the drift alarms, alerts and the brake's pauses;
	// without it nothing pauses and CheckAlarms and the alert methods are
	// unavailable.
	Alarms AlarmStore
	// ModelShadows keeps risk-model shadows and Candidate scores with the
	// shadow's model; without both no risk model runs in shadow.
	ModelShadows ModelShadowStore
	Candidate    CandidateScorer
	// ClassifierShadows keeps the stored classifier versions and their
	// shadows, and CandidateClassifier predicts with a stored version;
	// without both no classifier runs in shadow.
	ClassifierShadows   ClassifierShadowStore
	CandidateClassifier CandidateClassifier
}

// NewService returns a service for cfg.
func NewService(cfg Config) *Service {
	s := &Service{store: cfg.Store, embedder: cfg.Embedder, matcher: DefaultMatcher, now: cfg.Now, log: cfg.Logger, obs: cfg.Observer, risk: cfg.Risk, enrichCfg: DefaultEnrich, prepare: cfg.Prepare, clf: cfg.Classifier,
		policies: cfg.Policies, models: cfg.Models, featureHash: cfg.FeatureHash, outbox: cfg.Outbox, postings: cfg.Postings, views: cfg.Views, patterns: cfg.Patterns,
		checkHistory: cfg.CheckHistory, checkCfg: cfg.Checks, drift: cfg.Drift, driftCfg: cfg.DriftConfig, alarms: cfg.Alarms,
		modelShadows: cfg.ModelShadows, candidate: cfg.Candidate, clfShadows: cfg.ClassifierShadows, clfCandidate: cfg.CandidateClassifier}
	if s.prepare == nil {
		s.prepare = PrepareText
	}
	s.previewMaxAge = cfg.PreviewMaxAge
	if s.previewMaxAge <= 0 {
		s.previewMaxAge = DefaultPreviewMaxAge
	}
	if s.obs == nil {
		s.obs = noObserver{}
	}
	if cfg.Matcher != nil {
		s.matcher = *cfg.Matcher
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	p := cfg.Policy
	if p == nil {
		p = DefaultPolicy()
	}
	s.policy.Store(p)
	return s
}

// Policy returns the policy in force.
func (s *Service) Policy() *Policy { return s.policy.Load() }

// Embedder returns the embedder in use.
func (s *Service) Embedder() Embedder { return s.embedder }

// Submission is the result of submitting one exception.
type Submission struct {
	Exception Exception `json:"exception"`
	Decision  *Decision `json:"decision,omitempty"`
	Created   bool      `json:"created"`
}

// Submit validates, stores and triages a batch of exceptions for p. A
// repeat (same source and external id) returns the stored record and its
// decision instead of a new one, but only to a caller who may see it: a
// repeat of an item in another team's queue fails the call with
// EFORBIDDEN naming the item, after the whole batch is stored and
// triaged, so nothing accepted is lost. An
// exception stored but not yet triaged (because the embedder was down,
// say) is triaged when it is submitted again, so a client retry completes
// it.
func (s *Service) Submit(ctx context.Context, p Principal, exs []Exception) ([]Submission, error) {
	out, err := s.submit(ctx, p, exs)
	if err != nil {
		return nil, err
	}
	if err := hiddenRepeat(p, out); err != nil {
		return nil, err
	}
	return out, nil
}

// submit is Submit without the refusal of a hidden repeat, which is the
// caller's to make.
func (s *Service) submit(ctx context.Context, p Principal, exs []Exception) ([]Submission, error) {
	if err := s.admit(p, exs); err != nil {
		return nil, err
	}
	created, err := s.store.CreateExceptions(ctx, exs)
	if err != nil {
		return nil, err
	}
	out := make([]Submission, len(created))
	var todo []int
	for i, c := range created {
		out[i] = Submission{Exception: c.Exception, Created: c.Created}
		if c.Exception.Status == StatusReceived {
			todo = append(todo, i)
		} else if d, err := s.store.LatestDecision(ctx, c.Exception.ID); err == nil {
			out[i].Decision = &d
		}
	}
	if err := s.triageAll(ctx, out, todo); err != nil {
		return nil, err
	}
	return out, nil
}

// admit checks that p may submit exs, each valid and under a source p
// may write, and fingerprints each for the idempotency check.
func (s *Service) admit(p Principal, exs []Exception) error {
	if !p.CanSubmit() {
		return Authorize(false, p, "create exceptions")
	}
	pol := s.policy.Load()
	for i := range exs {
		exs[i].Status = StatusReceived
		if err := exs[i].Validate(); err != nil {
			return ItemError(err, i, len(exs))
		}
		if !pol.MayWrite(p, exs[i].Source) {
			err := &Error{Code: EFORBIDDEN, Field: "source", Message: fmt.Sprintf("source %q is reserved by the policy; role %s may not write it", exs[i].Source, p.Role)}
			return ItemError(err, i, len(exs))
		}
		exs[i].ContentHash = exs[i].Fingerprint()
	}
	return nil
}

// hiddenRepeat refuses a batch that repeats an item p may not see: a
// client must not read another team's item by posting its source and id.
// It looks after triage, since an item stored before an outage has no
// queue until then.
func hiddenRepeat(p Principal, subs []Submission) error {
	for i, sub := range subs {
		if !sub.Created && !p.CanSee(sub.Exception.Queue) {
			err := &Error{Code: EFORBIDDEN, Field: "id", Message: fmt.Sprintf("role %s may not see the item already stored under this source and id", p.Role)}
			return ItemError(err, i, len(subs))
		}
	}
	return nil
}

func (s *Service) triageAll(ctx context.Context, out []Submission, todo []int) error {
	if len(todo) == 0 {
		return nil
	}
	texts := make([]string, len(todo))
	for j, i := range todo {
		texts[j] = s.prepare(out[i].Exception.Text, out[i].Exception.Attributes)
	}
	vecs, err := s.embedder.Embed(ctx, texts)
	if err != nil {
		return Wrap(EUNAVAILABLE, err, "embedder %s failed; the exceptions are stored and will be triaged on retry", s.embedder.Name())
	}
	// Each item's triage waits mostly on the database, so a batch's items
	// are triaged a few at a time: no item's decision depends on another's
	// (nothing is resolved in between), and an id repeated in the batch is
	// decided once either way (SaveDecision's lock; the loser reads the
	// winner's decision).
	errs := make([]error, len(todo))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(batchTriageWorkers, len(todo)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				i := todo[j]
				ex, d, err := s.Triage(ctx, out[i].Exception, texts[j], vecs[j])
				if err != nil {
					errs[j] = err
					continue
				}
				out[i].Exception, out[i].Decision = ex, &d
			}
		}()
	}
	for j := range todo {
		next <- j
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// batchTriageWorkers is how many of a batch's items are triaged at once:
// enough to keep a few database round trips in flight, few enough that
// one batch does not take the whole connection pool from single POSTs.
const batchTriageWorkers = 4

// Triage decides one stored exception whose prepared text is text and
// embeds to vec, and records the decision.
func (s *Service) Triage(ctx context.Context, ex Exception, text string, vec []float32) (Exception, Decision, error) {
	start := time.Now()
	pol := s.policy.Load()
	ns, err := s.store.Nearest(ctx, NearestQuery{Vector: vec, Embedder: s.embedder.Name(), Type: ex.Type, K: pol.Neighbors})
	if err != nil {
		return ex, Decision{}, err
	}
	sug := s.suggest(ex.Type, text, vec, ns)
	candSug := s.shadowClassify(ctx, ex.Type, text, vec, ns)
	risk, riskNote := s.scoreRisk(ctx, ex)
	candRisk := s.shadowRisk(ctx, ex, risk)
	before := ex.Status
	prevAttrs := cloneMap(ex.Attributes)
	enr, enrReasons, holds, err := s.enrich(ctx, &ex, ns, sug, pol)
	if err != nil {
		return ex, Decision{}, err
	}
	// Each hold is tagged where it is found, for the queue list.
	var holdWhy []Why
	if len(holds) > 0 {
		holdWhy = append(holdWhy, WhyEnrichmentHeld)
	}
	if note := agreementNote(sug, pol.MinSimilarity); note != "" {
		holds = append(holds, note)
		holdWhy = append(holdWhy, WhyWeakPrecedent)
	}
	needs, err := s.withParams(ctx, &ex, &sug, enr)
	if err != nil {
		return ex, Decision{}, err
	}
	holds = append(holds, needs...)
	if len(needs) > 0 {
		holdWhy = append(holdWhy, WhyParamMissing)
	}
	if err := s.measureInformativeness(ctx, ex.Type, text, &sug); err != nil {
		return ex, Decision{}, err
	}
	if pause, paused, err := s.pausedType(ctx, ex.Type); err != nil {
		return ex, Decision{}, err
	} else if paused {
		holds = append(holds, pause.Reason)
		holdWhy = append(holdWhy, WhyPaused)
	}
	res := pol.Decide(&ex, sug, risk, holds)
	res.Reasons = append(enrReasons, res.Reasons...)
	if riskNote != "" {
		res.Reasons = append([]string{riskNote}, res.Reasons...)
	}
	d := Decision{
		ExceptionID: ex.ID, Suggestion: sug, Neighbors: ns, Outcome: res.Outcome,
		AssignedQueue: res.Queue, Reasons: res.Reasons, Holds: holds, Why: sortWhys(append(res.Why, holdWhy...)), PolicyVersion: pol.Version(), Risk: risk, Enrichments: enr,
		ModelVersion: s.modelVersion(), Embedder: s.embedder.Name(), DecidedAt: s.now().UTC(),
	}
	ex.Queue = res.Queue
	ex.SortKey = pol.SortKey(&ex, risk)
	d.Priority = pol.Priority(ex.SortKey, d.DecidedAt)
	audit := apply(&ex, d, before, prevAttrs)
	saved, err := s.store.SaveDecision(ctx, ex, d, audit, decisionEvent(ex, d))
	if ErrorCode(err) == ECONFLICT {
		// Another request or replica decided it first: that decision
		// stands, and is the answer to this one too.
		return s.decided(ctx, ex.ID)
	}
	if err != nil {
		return ex, Decision{}, err
	}
	s.obs.Decided(ex, saved, time.Since(start))
	s.shadowDecide(ctx, ex, saved)
	s.shadowScore(ctx, ex, saved, candRisk)
	s.shadowSuggest(ctx, ex, saved, candSug)
	return ex, saved, nil
}

// apply moves ex to the status d decided, and returns the audit rows that
// say so: the decision, the corrections it applied (attributes before and
// after, ex holding the after) and, when automatic, the enrichment.
func apply(ex *Exception, d Decision, before Status, prevAttrs map[string]any) []AuditEntry {
	entry := func(action string, detail map[string]any) AuditEntry {
		return AuditEntry{ExceptionID: ex.ID, At: d.DecidedAt, Actor: SystemActor, Action: action, Detail: detail}
	}
	audit := []AuditEntry{entry(AuditDecided, map[string]any{"from": before, "outcome": d.Outcome, "queue": d.AssignedQueue,
		"confidence": d.Confidence, "root_cause": d.RootCause, "action": d.Action,
		"policy_version": d.PolicyVersion, "model_version": d.ModelVersion})}
	if applied := appliedCorrections(d.Enrichments); len(applied) > 0 {
		audit = append(audit, entry(AuditCorrected, map[string]any{"corrections": applied,
			"attributes_before": prevAttrs, "attributes_after": ex.Attributes}))
	}
	if d.Outcome != OutcomeAuto {
		ex.Status = StatusQueued
		return audit
	}
	prev := ex.Enrichment
	ex.Status, ex.Enrichment = StatusAutoEnriched, enrichment(d.Suggestion, d.PolicyVersion)
	return append(audit, entry(AuditEnriched, map[string]any{"before": prev, "after": ex.Enrichment}))
}

// decided returns an exception as stored with its decision.
func (s *Service) decided(ctx context.Context, id int64) (Exception, Decision, error) {
	ex, err := s.store.Exception(ctx, id)
	if err != nil {
		return ex, Decision{}, err
	}
	d, err := s.store.LatestDecision(ctx, id)
	return ex, d, err
}

// suggest asks the classifier when there is one and the kNN vote
// otherwise; the precedents are the explanation either way.
func (s *Service) suggest(t Type, text string, vec []float32, ns []Neighbor) Suggestion {
	knn := s.matcher.Suggest(ns)
	if s.clf == nil {
		return knn
	}
	return combine(knn, s.clf.Predict(t, text, vec, ns), ns)
}

func (s *Service) modelVersion() string {
	if s.clf == nil {
		return MatcherVersion
	}
	return s.clf.Version() + "+" + MatcherVersion
}

// scoreRisk scores the invoice; a failing scorer does not stop triage (the
// decision says risk was not scored, and the policy treats it as unknown).
func (s *Service) scoreRisk(ctx context.Context, ex Exception) (*Risk, string) {
	if s.risk == nil {
		return nil, ""
	}
	r, err := s.risk.Score(ctx, ex)
	if err != nil {
		s.log.Warn("risk scoring failed", "exception", ex.ID, "err", err)
		return nil, "collection risk could not be scored"
	}
	return r, ""
}

func appliedCorrections(es []Enrichment) []AppliedCorrection {
	var out []AppliedCorrection
	for _, e := range es {
		if e.Applied != nil {
			out = append(out, *e.Applied)
		}
	}
	return out
}

func cloneMap(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// enrichment is what automatic triage writes onto the exception record.
func enrichment(s Suggestion, policyVersion string) map[string]any {
	e := map[string]any{"root_cause": s.RootCause, "action": s.Action, "confidence": s.Confidence,
		"applied_by": "policy " + policyVersion}
	if len(s.Params) > 0 {
		e["params"] = s.Params
	}
	return e
}

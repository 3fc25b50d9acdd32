package triage

import "time"

// Outcome is what the policy decided for an exception.
type Outcome string

// Outcomes.
const (
	OutcomeAuto  Outcome = "auto"
	OutcomeQueue Outcome = "queue"
)

// Neighbor is a historical resolution close to an exception: the precedent
// a suggestion rests on.
type Neighbor struct {
	ResolutionID int64          `json:"resolution_id"`
	ExternalID   string         `json:"external_id,omitempty"`
	Similarity   float64        `json:"similarity"`
	Type         Type           `json:"type"`
	RootCause    string         `json:"root_cause"`
	Action       string         `json:"action"`
	Params       map[string]any `json:"params,omitempty"`
	Queue        Queue          `json:"queue,omitempty"`
	Text         string         `json:"text,omitempty"`
	ResolvedAt   time.Time      `json:"resolved_at"`
}

// Alternative is a candidate root cause and action with its score.
type Alternative struct {
	RootCause string  `json:"root_cause"`
	Action    string  `json:"action"`
	Score     float64 `json:"score"`
}

// Suggestion is the resolution the history points to.
type Suggestion struct {
	RootCause string         `json:"root_cause,omitempty"`
	Action    string         `json:"action,omitempty"`
	Params    map[string]any `json:"params,omitempty"`
	Queue     Queue          `json:"queue,omitempty"`
	// ParamSources says where each parameter's value came from.
	ParamSources map[string]SuggestedParam `json:"param_sources,omitempty"`
	// Confidence is the score the policy thresholds apply to: that of the
	// root cause and action together (PairConfidence) times that of every
	// suggested parameter's source.
	Confidence     float64 `json:"confidence"`
	PairConfidence float64 `json:"pair_confidence"`
	// Informativeness is how much the case's text says about the cause
	// (see CauseWords); nil when not measured. InformativeWords names the
	// words that weigh most.
	Informativeness     *float64 `json:"informativeness,omitempty"`
	InformativeWords    string   `json:"informative_words,omitempty"`
	RootCauseConfidence float64  `json:"root_cause_confidence"`
	ActionConfidence    float64  `json:"action_confidence"`
	TopSimilarity       float64  `json:"top_similarity"`
	// Agreeing is the similarity of the closest precedent resolved with
	// the suggested root cause and action (0 when none among the nearest).
	Agreeing     float64       `json:"agreeing_similarity"`
	Alternatives []Alternative `json:"alternatives,omitempty"`
}

// Decision records what was decided for an exception and why.
type Decision struct {
	ID          int64 `json:"id"`
	ExceptionID int64 `json:"exception_id"`
	Suggestion
	Neighbors     []Neighbor `json:"neighbors"`
	Outcome       Outcome    `json:"outcome"`
	AssignedQueue Queue      `json:"assigned_queue,omitempty"`
	Priority      float64    `json:"priority"`
	Reasons       []string   `json:"reasons"`
	// Holds are the reasons found outside the policy's own rules that
	// need a person: enrichment not applied, no close precedent agreeing,
	// a parameter without a trustworthy source or contradicted by the
	// text. The policy saw them; they are kept so its verdict can be
	// replayed.
	Holds []string `json:"holds,omitempty"`
	// Why tags, most telling first, every check that held the item: the
	// short "why queued" of the queue list. Empty when automatic.
	Why []Why `json:"why,omitempty"`
	// Enrichments are the learned field corrections looked up for the
	// exception: applied ones, and candidates for a person otherwise.
	Enrichments []Enrichment `json:"enrichments,omitempty"`
	// Risk is the invoice's collection risk; nil when not scored.
	Risk          *Risk     `json:"risk,omitempty"`
	PolicyVersion string    `json:"policy_version"`
	ModelVersion  string    `json:"model_version"`
	Embedder      string    `json:"embedder"`
	DecidedAt     time.Time `json:"decided_at"`
}

// AuditEntry is one row of the append-only audit log.
type AuditEntry struct {
	ID          int64          `json:"id"`
	ExceptionID int64          `json:"exception_id"`
	At          time.Time      `json:"at"`
	Actor       string         `json:"actor"`
	Action      string         `json:"action"`
	Detail      map[string]any `json:"detail,omitempty"`
}

// Audit actions.
const (
	AuditReceived = "received"
	AuditDecided  = "decided"
	AuditEnriched = "enriched"
	AuditResolved = "resolved"
	AuditRejected = "rejected"
	// AuditCorrected records learned field corrections applied to an
	// exception, with the attributes before and after.
	AuditCorrected = "corrected"
	// AuditReverted records an automatic enrichment undone by a person.
	AuditReverted = "reverted"
)

// SystemActor is the audit actor for automatic steps.
const SystemActor = "system"

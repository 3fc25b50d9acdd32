package triage

import "time"

// Verdict is what a person did with a suggestion.
type Verdict string

// Verdicts. Imported history carries VerdictImported.
const (
	VerdictAccept   Verdict = "accept"
	VerdictEdit     Verdict = "edit"
	VerdictReject   Verdict = "reject"
	VerdictImported Verdict = "imported"
)

// Resolution is a resolved case in the history: the text that described the
// exception and how it was resolved. New exceptions are matched against it.
type Resolution struct {
	ID          int64          `json:"id"`
	ExceptionID *int64         `json:"exception_id,omitempty"`
	ExternalID  string         `json:"external_id,omitempty"`
	Type        Type           `json:"type"`
	Text        string         `json:"text"`
	RootCause   string         `json:"root_cause"`
	Action      string         `json:"action"`
	Params      map[string]any `json:"params,omitempty"`
	Queue       Queue          `json:"queue,omitempty"`
	Verdict     Verdict        `json:"verdict"`
	ResolvedBy  string         `json:"resolved_by,omitempty"`
	Note        string         `json:"note,omitempty"`
	OccurredAt  time.Time      `json:"occurred_at"`
	ResolvedAt  time.Time      `json:"resolved_at"`
	// Embedder names the embedder that produced Vector; vectors of
	// different embedders are never compared.
	Embedder string    `json:"embedder"`
	Vector   []float32 `json:"-"`
	// Attributes are the exception's attributes; with Text they make
	// MatchText, the text that is embedded.
	Attributes map[string]any `json:"-"`
	MatchText  string         `json:"-"`
	// Facts are the case's fields and attributes when it was resolved,
	// kept so parameter sources can be learned; nil when unknown.
	Facts *Facts `json:"-"`
	// Corrections are the field corrections this resolution made; they
	// become enrichment evidence.
	Corrections []Correction `json:"corrections,omitempty"`
}

// ResolutionInput is a person's resolution of an exception.
type ResolutionInput struct {
	Verdict   Verdict        `json:"verdict"`
	RootCause string         `json:"root_cause,omitempty"`
	Action    string         `json:"action,omitempty"`
	Params    map[string]any `json:"params,omitempty"`
	Queue     Queue          `json:"queue,omitempty"`
	Note      string         `json:"note,omitempty"`
}

// Codes used when a person rejects an exception without naming a cause:
// the rejection still joins the history, so similar false alarms are
// recognised next time.
const (
	RootCauseNotActionable = "not_actionable"
	ActionCloseNoAction    = "close_no_action"
)

// Validate checks the input and names the first bad field.
func (in *ResolutionInput) Validate() error {
	switch in.Verdict {
	case VerdictAccept, VerdictReject:
	case VerdictEdit:
		if in.RootCause == "" {
			return Invalid("root_cause", "is required when the verdict is edit")
		}
		if in.Action == "" {
			return Invalid("action", "is required when the verdict is edit")
		}
	default:
		return Invalid("verdict", "must be accept, edit or reject")
	}
	if in.Queue != "" && !in.Queue.Valid() {
		return Invalid("queue", "unknown queue %q", in.Queue)
	}
	if len(in.RootCause) > 100 || len(in.Action) > 100 {
		return Invalid("root_cause", "codes are at most 100 characters")
	}
	for _, f := range []struct{ name, value string }{{"root_cause", in.RootCause}, {"action", in.Action}, {"note", in.Note}} {
		if err := checkString(f.name, f.value, MaxNoteBytes); err != nil {
			return err
		}
	}
	// Parameters are stored and returned like attributes, with the same
	// bounds; their corrections are checked as they are read.
	return ValidateAttributes("params", in.Params)
}

// MaxNoteBytes bounds a resolution's note: a sentence or two for the
// audit log, not a document.
const MaxNoteBytes = 4 << 10

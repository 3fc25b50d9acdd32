package triage

import (
	"context"
	"time"
)

// AlertState is where an alert is in its life: open when raised,
// acknowledged once an admin has seen it, resolved when its measure is
// back within the threshold (or, for a pause, when an admin resumed).
type AlertState string

// Alert states.
const (
	AlertOpen         AlertState = "open"
	AlertAcknowledged AlertState = "acknowledged"
	AlertResolved     AlertState = "resolved"
)

// Valid reports whether s is a known state.
func (s AlertState) Valid() bool {
	return s == AlertOpen || s == AlertAcknowledged || s == AlertResolved
}

// Active reports whether an alert in state s still needs attention.
func (s AlertState) Active() bool { return s == AlertOpen || s == AlertAcknowledged }

// Alert is a breached drift alarm, or the brake's pause of a type. At
// most one alert per type and kind is active; a later breach after it is
// resolved raises a new one.
type Alert struct {
	ID    int64      `json:"id"`
	Type  Type       `json:"type"`
	Kind  AlertKind  `json:"kind"`
	State AlertState `json:"state"`
	// Week is the ISO week whose measure breached, most recently.
	Week      string    `json:"week"`
	Value     float64   `json:"value"`
	Threshold float64   `json:"threshold"`
	Samples   int       `json:"samples"`
	Message   string    `json:"message"`
	RaisedAt  time.Time `json:"raised_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// AcknowledgedBy and ResolvedBy name who did it ("system" for an
	// alarm that cleared itself).
	AcknowledgedBy string     `json:"acknowledged_by,omitempty"`
	AcknowledgedAt *time.Time `json:"acknowledged_at,omitempty"`
	ResolvedBy     string     `json:"resolved_by,omitempty"`
	ResolvedAt     *time.Time `json:"resolved_at,omitempty"`
}

// AlertLogEntry is one row of the alerts' append-only log: raised,
// acknowledged, resolved, paused or resumed, by whom and when.
type AlertLogEntry struct {
	ID      int64          `json:"id"`
	AlertID int64          `json:"alert_id,omitempty"`
	Type    Type           `json:"type"`
	Action  string         `json:"action"`
	Actor   string         `json:"actor"`
	At      time.Time      `json:"at"`
	Detail  map[string]any `json:"detail,omitempty"`
}

// Alert log actions.
const (
	AlertRaised       = "raised"
	AlertAcknowledge  = "acknowledged"
	AlertResolve      = "resolved"
	AutomationPaused  = "paused"
	AutomationResumed = "resumed"
)

// Pause is a type's automation state under the brake. Reason is what a
// held item's decision says.
type Pause struct {
	Type      Type       `json:"type"`
	Paused    bool       `json:"paused"`
	Reason    string     `json:"reason,omitempty"`
	Precision float64    `json:"precision"`
	Floor     float64    `json:"floor"`
	Last      int        `json:"last"`
	AlertID   int64      `json:"alert_id,omitempty"`
	PausedAt  time.Time  `json:"paused_at"`
	ResumedBy string     `json:"resumed_by,omitempty"`
	ResumedAt *time.Time `json:"resumed_at,omitempty"`
}

// AlarmStore supplies what the drift alarms measure, and keeps the
// measures, the alerts and the brake's pauses, so that every replica
// sees the same.
type AlarmStore interface {
	// AlarmFacts counts q's windows, one AlarmFacts per type with any
	// exception in either.
	AlarmFacts(ctx context.Context, q AlarmQuery) ([]AlarmFacts, error)
	// RecentVerdicts counts, over the newest n automated decisions of t
	// made at or after since that people have given a verdict on, the
	// verdicts and those that agreed.
	RecentVerdicts(ctx context.Context, t Type, n int, since time.Time) (correct, total int, err error)
	// SaveMeasures stores measures, replacing those of the same week,
	// type and kind.
	SaveMeasures(ctx context.Context, ms []Measure) error
	// Measures lists the measures of the weeks starting at or after
	// since, newest week first.
	Measures(ctx context.Context, since time.Time) ([]Measure, error)
	// Alerts lists alerts in state ("" for active ones: open or
	// acknowledged), newest first, at most limit.
	Alerts(ctx context.Context, state AlertState, limit int) ([]Alert, error)
	// Alert returns an alert with its log.
	Alert(ctx context.Context, id int64) (Alert, []AlertLogEntry, error)
	// RaiseAlert stores a new open alert with its log row and its event;
	// ECONFLICT if its type and kind already have an active one.
	RaiseAlert(ctx context.Context, a Alert, ev Event) (Alert, error)
	// UpdateAlert records an active alert's latest measure.
	UpdateAlert(ctx context.Context, a Alert) error
	// ChangeAlert moves an active alert to state with its log row;
	// ECONFLICT if it is not active or already in that state.
	ChangeAlert(ctx context.Context, id int64, to AlertState, actor string, at time.Time) (Alert, error)
	// Pauses lists the types' automation states.
	Pauses(ctx context.Context) ([]Pause, error)
	// PauseAutomation pauses p.Type and raises its alert, atomically;
	// ECONFLICT if the type is paused already.
	PauseAutomation(ctx context.Context, p Pause, a Alert, ev Event) (Pause, Alert, error)
	// ResumeAutomation resumes t, resolving its pause's alert, with the
	// log row, atomically; ECONFLICT if t is not paused.
	ResumeAutomation(ctx context.Context, t Type, actor string, at time.Time) (Pause, error)
}

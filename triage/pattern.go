package triage

import (
	"context"
	"time"
)

// PatternItem is one exception as pattern detection sees it: a case of the
// history (resolved, with its root cause) or an open one (with its
// suggested root cause), its vector and the facts it is broken down by.
type PatternItem struct {
	// ExceptionID is 0 for imported history, which has no exception row;
	// ResolutionID is 0 while the item is open.
	ExceptionID  int64
	ResolutionID int64
	Type         Type
	OccurredAt   time.Time
	// RootCause and Action are the resolution's, or the latest decision's
	// suggestion while the item is open.
	RootCause, Action string
	Open              bool
	Queue             Queue
	// Vector is nil until embedded; Text and Attributes are what an open
	// item's vector is made from.
	Vector     []float32
	Text       string
	Attributes map[string]any
	// Facts are the item's scalar fields and attributes by place
	// ("source", "region", "attributes.sku"), as Facts.Places names them.
	Facts map[string]string
}

// Ref names the item in a pattern's members: its exception when it has
// one, else its resolution.
func (it PatternItem) Ref() PatternRef {
	return PatternRef{ExceptionID: it.ExceptionID, ResolutionID: it.ResolutionID}
}

// PatternRef names one member of a pattern.
type PatternRef struct {
	ExceptionID  int64 `json:"exception_id,omitempty"`
	ResolutionID int64 `json:"resolution_id,omitempty"`
}

// Pattern is a group of exceptions with the same root cause and nearly
// the same text: a recurring problem rather than an isolated error.
type Pattern struct {
	// ID names the pattern within a run; it stays the same from run to
	// run while the pattern's earliest member stays in the window.
	ID        string    `json:"id"`
	Type      Type      `json:"type"`
	RootCause string    `json:"root_cause"`
	Action    string    `json:"action,omitempty"`
	Size      int       `json:"size"`
	Open      int       `json:"open"`
	First     time.Time `json:"first"`
	Last      time.Time `json:"last"`
	// Daily counts the members per day of the run's window, oldest first:
	// the trend.
	Daily     []int       `json:"daily"`
	Breakdown []Breakdown `json:"breakdown"`
	// Spike is the pattern's rise in the current window, when there is one.
	Spike *Spike `json:"spike,omitempty"`
	// Members are listed by Service.Pattern only, and only those the
	// caller may see.
	Members []PatternMember `json:"members,omitempty"`
	// Hidden counts members in queues the caller may not see.
	Hidden int `json:"hidden,omitempty"`
	// Refs are every member, as detection stores them.
	Refs []PatternRef `json:"-"`
	// idx are the members' positions in the items detection was given.
	idx []int
}

// Breakdown is how a pattern's members spread over one dimension (source,
// region, an attribute or an attribute's family), most common first.
type Breakdown struct {
	Dim    string     `json:"dim"`
	Values []DimCount `json:"values"`
}

// DimCount is how many members have one value of a dimension.
type DimCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// PatternMember is a member as a person sees it.
type PatternMember struct {
	PatternRef
	Type       Type      `json:"type"`
	OccurredAt time.Time `json:"occurred_at"`
	Status     Status    `json:"status"`
	Queue      Queue     `json:"queue,omitempty"`
	RootCause  string    `json:"root_cause,omitempty"`
	Action     string    `json:"action,omitempty"`
	Text       string    `json:"text"`
	CustomerID string    `json:"customer_id,omitempty"`
}

// Spike kinds: a pattern's own series, or all of a type's exceptions from
// one source.
const (
	SpikePattern    = "pattern"
	SpikeTypeSource = "type_source"
)

// Spike is a rise in a series' current window that its own baseline makes
// unlikely by chance (see FindSpikes).
type Spike struct {
	Kind      string `json:"kind"`
	PatternID string `json:"pattern_id,omitempty"`
	Type      Type   `json:"type"`
	RootCause string `json:"root_cause,omitempty"`
	Source    string `json:"source,omitempty"`
	// Observed is the count in the current window, Expected its baseline's
	// forecast for the same days; PValue is P(X ≥ Observed) under Poisson.
	Observed int     `json:"observed"`
	Expected float64 `json:"expected"`
	PValue   float64 `json:"p_value"`
	// Volume is the factor (at least 1) the forecast was scaled by because
	// all exceptions together rose that much over theirs.
	Volume float64   `json:"volume"`
	From   time.Time `json:"from"`
	To     time.Time `json:"to"`
	// Where is the dimension value the rise concentrates on ("region=EMEA"),
	// with its share now and in the baseline; "" when it is spread.
	Where          string  `json:"where,omitempty"`
	WhereShare     float64 `json:"where_share,omitempty"`
	WhereBaseShare float64 `json:"where_base_share,omitempty"`
	// New says the previous run did not flag the same series.
	New bool `json:"new"`
	// Members are the series' items in the current window.
	Members []PatternRef `json:"-"`
}

// Key names the series a spike is on, the same from run to run: its type
// and cause, or its type and source. Where it concentrates may move
// between runs of one rise, so it is not part of the name.
func (s Spike) Key() string {
	if s.Kind == SpikeTypeSource {
		return s.Kind + "|" + string(s.Type) + "|" + s.Source
	}
	return s.Kind + "|" + string(s.Type) + "|" + s.RootCause
}

// PatternRun is one detection: when, over which window, and its spikes.
type PatternRun struct {
	ID       int64     `json:"id"`
	At       time.Time `json:"at"`
	From     time.Time `json:"from"`
	Items    int       `json:"items"`
	Patterns int       `json:"patterns"`
	Spikes   []Spike   `json:"spikes"`
	// Dims are the breakdown dimensions learned from the window's data.
	Dims []string `json:"dims"`
}

// PatternStore keeps what pattern detection reads and writes.
type PatternStore interface {
	// PatternItems returns the history resolved and the exceptions open
	// that occurred at or after since, newest first, at most limit, with
	// the vectors embedder made for them (nil where it has none).
	PatternItems(ctx context.Context, since time.Time, embedder string, limit int) ([]PatternItem, error)
	// SavePatternVectors keeps the vectors of open exceptions, so the
	// next run embeds only new ones.
	SavePatternVectors(ctx context.Context, embedder string, ids []int64, vecs [][]float32) error
	// SavePatternRun stores a run with its patterns and members, and
	// drops runs older than the last few; the events (a new spike's
	// pattern.detected) go to the outbox in the same transaction.
	SavePatternRun(ctx context.Context, run PatternRun, ps []Pattern, events ...Event) (PatternRun, error)
	// LatestPatternRun returns the newest run and its patterns (without
	// members); ENOTFOUND before the first run.
	LatestPatternRun(ctx context.Context) (PatternRun, []Pattern, error)
	// PatternMembers returns a pattern of a run with its members as they
	// stand now; ENOTFOUND when the run has no such pattern.
	PatternMembers(ctx context.Context, runID int64, id string) (Pattern, []PatternMember, error)
}

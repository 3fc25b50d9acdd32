package triage

import (
	"context"
	"time"
)

// Embedder turns texts into L2-normalised vectors. Name identifies the
// embedder and its configuration; vectors of different names are never
// compared.
type Embedder interface {
	Name() string
	Dims() int
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}

// NearestQuery asks for the K resolutions closest to Vector among those
// embedded by Embedder, optionally of one Type only.
type NearestQuery struct {
	Vector   []float32
	Embedder string
	Type     Type // "" for all types
	K        int
	// Before, when set, restricts to resolutions resolved before it; a
	// replay uses it so a case never sees its own future.
	Before time.Time
}

// QueueQuery asks for a page of a queue, in priority order unless Sort
// says otherwise. Every filter is optional; the zero value of each means
// "any". Service.Queue validates it (see QueueQuery.Validate).
type QueueQuery struct {
	Queue  Queue
	Type   Type // optional filter
	Cursor string
	Limit  int
	// Search is words to find in the text, customer, invoice or external
	// id; every word must occur (case-insensitive substring).
	Search string
	// Customer is an exact customer id.
	Customer string
	// Why keeps the items held for this reason (see QueuedBecause).
	Why Why
	// Amount, risk and confidence bounds, inclusive; nil for none. An item
	// without an amount or risk never meets a bound on it.
	MinAmount, MaxAmount         *float64
	MinRisk, MaxRisk             *float64
	MinConfidence, MaxConfidence *float64
	// MinAge and MaxAge bound how long ago the exception occurred, as of
	// AsOf (set by the service to its clock); zero for none.
	MinAge, MaxAge time.Duration
	AsOf           time.Time
	// Sort is the column to order by, "" for priority; Desc reverses it.
	Sort QueueSort
	Desc bool
}

// QueueSort names a column a queue may be ordered by. Only these reach
// the database, so an order is never built from a caller's text.
type QueueSort string

// The queue's sortable columns.
const (
	SortPriority   QueueSort = "priority"
	SortType       QueueSort = "type"
	SortAmount     QueueSort = "amount"
	SortRisk       QueueSort = "risk"
	SortConfidence QueueSort = "confidence"
	SortAge        QueueSort = "age"
	SortCustomer   QueueSort = "customer"
	SortWhy        QueueSort = "why"
	SortID         QueueSort = "id"
)

// QueueSorts lists the sortable columns.
var QueueSorts = []QueueSort{SortPriority, SortType, SortAmount, SortRisk, SortConfidence, SortAge, SortCustomer, SortWhy, SortID}

// QueueItem is one exception in a queue with its current decision summary.
type QueueItem struct {
	Exception
	Priority   float64 `json:"priority"`
	Confidence float64 `json:"confidence"`
	// Risk is the collection risk of the latest decision, nil if unscored.
	Risk      *float64 `json:"risk,omitempty"`
	RootCause string   `json:"suggested_root_cause,omitempty"`
	Action    string   `json:"suggested_action,omitempty"`
	// QueuedBecause tags why the item waits for a person, most telling
	// first (see QueuedBecause).
	QueuedBecause []Why `json:"queued_because"`
	// Outcome and Why are the latest decision's, from which the service
	// derives QueuedBecause.
	Outcome Outcome `json:"-"`
	Why     []Why   `json:"-"`
}

// QueuePage is a page of a queue. NextCursor is empty on the last page.
// Total counts every item the query's filters match, on all pages.
type QueuePage struct {
	Items      []QueueItem `json:"items"`
	NextCursor string      `json:"next_cursor,omitempty"`
	Total      int         `json:"total"`
}

// CreateResult reports one exception of a batch: the stored record and
// whether it was new (false when source and external id were seen before).
type CreateResult struct {
	Exception Exception
	Created   bool
}

// ExceptionStore persists exceptions, decisions and the audit log. Every
// write that changes an exception takes the events it produces and records
// them, with their delivery, in the same transaction: the outbox.
type ExceptionStore interface {
	// CreateExceptions stores new exceptions in status received,
	// idempotently by (source, external id), with a "received" audit row.
	CreateExceptions(ctx context.Context, exs []Exception) ([]CreateResult, error)
	Exception(ctx context.Context, id int64) (Exception, error)
	// LatestDecision returns the newest decision of an exception.
	LatestDecision(ctx context.Context, exceptionID int64) (Decision, error)
	// SaveDecision stores d, moves the exception to its new status, queue,
	// sort key and enrichment, and appends the audit rows, atomically. It
	// fails with ECONFLICT unless the exception is still received, so an
	// exception is decided once.
	SaveDecision(ctx context.Context, ex Exception, d Decision, audit []AuditEntry, events ...Event) (Decision, error)
	// SaveResolution stores a person's resolution (with its vector, so it
	// joins the history at once), closes the exception and audits it,
	// atomically. It fails with ECONFLICT if the exception is closed.
	SaveResolution(ctx context.Context, ex Exception, r Resolution, audit AuditEntry, events ...Event) (Resolution, error)
	// Move writes a new queue and status for an open exception with its
	// audit row; ECONFLICT if the exception was closed meanwhile.
	Move(ctx context.Context, ex Exception, audit AuditEntry, events ...Event) error
	Queue(ctx context.Context, q QueueQuery) (QueuePage, error)
	Audit(ctx context.Context, exceptionID int64) ([]AuditEntry, error)
	// ClaimStranded leases up to limit exceptions received more than
	// after ago and still undecided, so that one replica's sweep triages
	// them.
	ClaimStranded(ctx context.Context, after time.Duration, limit int) ([]Exception, error)
}

// ResolutionStore holds the history and finds precedents.
type ResolutionStore interface {
	AddResolutions(ctx context.Context, rs []Resolution) error
	Nearest(ctx context.Context, q NearestQuery) ([]Neighbor, error)
	// ParamHistory returns up to limit of the action's most recent
	// resolutions that kept their case's facts, newest first.
	ParamHistory(ctx context.Context, action string, limit int) ([]ParamExample, error)
	// CauseHistory returns up to limit of the type's most recent
	// resolutions as matched text and root cause, newest first.
	CauseHistory(ctx context.Context, t Type, limit int) ([]CauseExample, error)
}

// SimilarKey is a known identifier similar to an unseen one.
type SimilarKey struct {
	Key        string
	Similarity float64
}

// Supersession is a key whose mapping moved from one target to another.
type Supersession struct {
	Key   string
	To    string
	Since time.Time
}

// CorrectionStore reads the corrections memory. Corrections are written
// with the resolutions that carry them.
type CorrectionStore interface {
	Evidence(ctx context.Context, field, key string) ([]Evidence, error)
	// SimilarKeys returns known keys of field similar to key (trigrams).
	SimilarKeys(ctx context.Context, field, key string, limit int) ([]SimilarKey, error)
	// FieldConsistency counts, over keys of field seen at least twice, the
	// sightings that went to their key's usual target (agree) and all
	// sightings (total); reversed corrections are left out.
	FieldConsistency(ctx context.Context, field string) (agree, total float64, err error)
	// CorrectionKeys returns up to limit distinct keys of field's
	// corrections, the most recently corrected first, each with the names
	// of the corrected exception's attributes that held the key; the
	// shape learner generalizes them.
	CorrectionKeys(ctx context.Context, field string, limit int) ([]CorrectionKey, error)
	// Supersessions lists keys that mapped to target and later, without
	// reversal, to another value: a customer that migrated ids.
	Supersessions(ctx context.Context, field, target string) ([]Supersession, error)
	// Revert restores ex (already holding its previous values), records
	// the reversals as evidence and appends the audit row, atomically.
	Revert(ctx context.Context, ex Exception, reversals []Evidence, audit AuditEntry, events ...Event) error
}

// Store is everything the service needs from persistence.
type Store interface {
	ExceptionStore
	ResolutionStore
	CorrectionStore
	WorkbenchStore
}

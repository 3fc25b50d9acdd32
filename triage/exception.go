package triage

import (
	"strings"
	"time"
)

// Type is the kind of billing exception.
type Type string

// Exception types of dataset format v1.
const (
	UsageMismatch      Type = "usage_mismatch"
	PricingDiscrepancy Type = "pricing_discrepancy"
	ERPPostingFailure  Type = "erp_posting_failure"
	TaxInconsistency   Type = "tax_inconsistency"
	BillingDispute     Type = "billing_dispute"
	Other              Type = "other"
)

// Types lists every exception type in a stable order.
var Types = []Type{UsageMismatch, PricingDiscrepancy, ERPPostingFailure, TaxInconsistency, BillingDispute, Other}

// Valid reports whether t is a known type.
func (t Type) Valid() bool {
	for _, v := range Types {
		if t == v {
			return true
		}
	}
	return false
}

// Status is where an exception is in its lifecycle:
// received → triaged → auto_enriched | queued → resolved | rejected.
type Status string

// Lifecycle states.
const (
	StatusReceived     Status = "received"
	StatusTriaged      Status = "triaged"
	StatusAutoEnriched Status = "auto_enriched"
	StatusQueued       Status = "queued"
	StatusResolved     Status = "resolved"
	StatusRejected     Status = "rejected"
)

// Open reports whether a person may still act on an exception in status s.
func (s Status) Open() bool {
	return s == StatusQueued || s == StatusAutoEnriched || s == StatusTriaged
}

// Queue is a role-based human work queue.
type Queue string

// The role queues.
const (
	QueueFinance Queue = "finance"
	QueueRevOps  Queue = "revops"
	QueueTax     Queue = "tax"
	QueueSupport Queue = "support"
)

// Queues lists every queue in a stable order.
var Queues = []Queue{QueueFinance, QueueRevOps, QueueTax, QueueSupport}

// Valid reports whether q is a known queue.
func (q Queue) Valid() bool {
	for _, v := range Queues {
		if q == v {
			return true
		}
	}
	return false
}

// MaxTextBytes bounds an exception's text: a whole email fits, a log dump
// that would dominate storage and embedding time does not.
const MaxTextBytes = 256 << 10

// Exception is one billing exception as received and as it evolves.
type Exception struct {
	ID         int64          `json:"id"`
	Source     string         `json:"source,omitempty"`
	ExternalID string         `json:"external_id,omitempty"`
	Type       Type           `json:"type"`
	OccurredAt time.Time      `json:"occurred_at"`
	Text       string         `json:"text"`
	CustomerID string         `json:"customer_id,omitempty"`
	InvoiceID  string         `json:"invoice_id,omitempty"`
	Amount     *float64       `json:"amount,omitempty"`
	Currency   string         `json:"currency,omitempty"`
	Region     string         `json:"region,omitempty"`
	Attributes map[string]any `json:"attributes,omitempty"`
	Status     Status         `json:"status"`
	Queue      Queue          `json:"queue,omitempty"`
	// Assignee is the person who claimed the item or was assigned it, ""
	// while nobody has it.
	Assignee string `json:"assignee,omitempty"`
	// SortKey orders a queue; see Policy.SortKey for why it does not change
	// with time although priority grows with age.
	SortKey    float64        `json:"-"`
	Enrichment map[string]any `json:"enrichment,omitempty"`
	// ContentHash is the stored Fingerprint of what the client sent; ""
	// for rows stored before it was kept.
	ContentHash string    `json:"-"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Validate checks an incoming exception against the rules and limits of
// limits.go and names the first bad field. occurred_at is judged against
// the current time.
func (e *Exception) Validate() error {
	for _, check := range []func() error{e.validateType, e.validateText, e.validateWhen,
		e.validateMoney, e.validateShort, e.validateAttributes} {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

func (e *Exception) validateType() error {
	if !e.Type.Valid() {
		return Invalid("type", "unknown type %q (want one of %s)", e.Type, joinTypes())
	}
	return nil
}

func (e *Exception) validateText() error {
	if strings.TrimSpace(e.Text) == "" {
		return Invalid("text", "is required")
	}
	return checkString("text", e.Text, MaxTextBytes)
}

func (e *Exception) validateWhen() error {
	switch {
	case e.OccurredAt.IsZero():
		return Invalid("occurred_at", "is required (RFC 3339)")
	case !PlausibleTime(e.OccurredAt, time.Now()):
		return Invalid("occurred_at", "must lie between %s and a year from now",
			EarliestOccurredAt.Format(time.DateOnly))
	}
	return nil
}

func (e *Exception) validateMoney() error {
	switch {
	case e.Amount != nil && !PlausibleAmount(*e.Amount):
		return Invalid("amount", "must be a finite number between -%g and %g", MaxAmount, MaxAmount)
	case e.Currency != "" && !ValidCurrency(e.Currency):
		return Invalid("currency", "must be an active ISO 4217 currency code such as USD or EUR")
	}
	return nil
}

func (e *Exception) validateAttributes() error {
	return ValidateAttributes("attributes", e.Attributes)
}

func joinTypes() string {
	s := make([]string, len(Types))
	for i, t := range Types {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}

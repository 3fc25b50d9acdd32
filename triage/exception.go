package triage

import (
	"math"
	"strings"
	"time"
	"unicode/utf8"
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

// Validate checks an incoming exception and names the first bad field.
func (e *Exception) Validate() error {
	switch {
	case !e.Type.Valid():
		return Invalid("type", "unknown type %q (want one of %s)", e.Type, joinTypes())
	case strings.TrimSpace(e.Text) == "":
		return Invalid("text", "is required")
	case len(e.Text) > MaxTextBytes:
		return Invalid("text", "is longer than %d bytes", MaxTextBytes)
	case !utf8.ValidString(e.Text):
		return Invalid("text", "is not valid UTF-8")
	case e.OccurredAt.IsZero():
		return Invalid("occurred_at", "is required (RFC 3339)")
	case e.Amount != nil && (math.IsNaN(*e.Amount) || math.IsInf(*e.Amount, 0)):
		return Invalid("amount", "must be a finite number")
	case e.Currency != "" && !ValidCurrency(e.Currency):
		return Invalid("currency", "must be a 3-letter ISO 4217 code")
	case len(e.ExternalID) > 200:
		return Invalid("id", "is longer than 200 characters")
	case len(e.Source) > 100:
		return Invalid("source", "is longer than 100 characters")
	}
	return nil
}

// ValidCurrency accepts the shape of an ISO 4217 code; the list of codes
// changes too often to hard-wire.
func ValidCurrency(s string) bool {
	if len(s) != 3 {
		return false
	}
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

func joinTypes() string {
	s := make([]string, len(Types))
	for i, t := range Types {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}

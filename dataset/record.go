package dataset

import "time"

// Record is one line of dataset format v1: a single billing exception, with
// its resolution when the record is labelled history.
type Record struct {
	ID         string         `json:"id"`
	OccurredAt time.Time      `json:"occurred_at"`
	Type       string         `json:"type"`
	Source     string         `json:"source,omitempty"`
	Text       string         `json:"text"`
	CustomerID string         `json:"customer_id,omitempty"`
	InvoiceID  string         `json:"invoice_id,omitempty"`
	Amount     *float64       `json:"amount,omitempty"`
	Currency   string         `json:"currency,omitempty"`
	Region     string         `json:"region,omitempty"`
	Attributes map[string]any `json:"attributes,omitempty"`
	Resolution *Resolution    `json:"resolution,omitempty"`
}

// Resolution is the label of a historical or labelled record: what was wrong
// (RootCause), what fixed it (Action with its Params) and who did it (Queue).
// RootCause and Action are free strings so that a user's own taxonomy loads.
type Resolution struct {
	RootCause  string         `json:"root_cause"`
	Action     string         `json:"action"`
	Params     map[string]any `json:"params,omitempty"`
	Queue      string         `json:"queue,omitempty"`
	ResolvedAt *time.Time     `json:"resolved_at,omitempty"`
}

// Types lists the exception types of format v1.
var Types = []string{"usage_mismatch", "pricing_discrepancy", "erp_posting_failure", "tax_inconsistency", "billing_dispute", "other"}

// Queues lists the role queues.
var Queues = []string{"finance", "revops", "tax", "support"}

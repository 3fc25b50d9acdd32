package triage

import "context"

// Assist is what an optional language model adds to a dispute for the
// reviewer. It is advisory: decisions never depend on it, because email
// text is data, never instructions.
type Assist struct {
	Summary    string         `json:"summary"`
	Reason     string         `json:"reason,omitempty"`
	InvoiceIDs []string       `json:"invoice_ids,omitempty"`
	Amounts    []AssistAmount `json:"amounts,omitempty"`
	Model      string         `json:"model"`
}

// AssistAmount is an amount the model read in the email.
type AssistAmount struct {
	Value    float64 `json:"value"`
	Currency string  `json:"currency"`
}

// Assistant asks a language model for structured extraction and a summary
// of redactedText. reasons lists the dispute reason codes the history
// knows, so the model's reading uses the same words.
type Assistant interface {
	Assist(ctx context.Context, redactedText string, reasons []string) (Assist, error)
}

package triage

import (
	"context"
	"time"
)

// Invoice is the invoice an exception sits on. It is the one invoice type:
// a row of the invoice CSV (package dataset), what the store keeps, and what
// the risk features read (package features).
type Invoice struct {
	InvoiceID  string
	CustomerID string
	IssuedAt   time.Time
	DueAt      time.Time
	Amount     float64
	Currency   string
	PaidAt     *time.Time // nil while unpaid
	Disputed   bool
	Region     string
	Extra      map[string]string // the CSV's extra columns, carried through unread
}

// Risk is the collection risk of an exception's invoice: the probability
// that it is paid late beyond the model's limit or not at all.
type Risk struct {
	Probability  float64 `json:"probability"`
	ModelVersion string  `json:"model_version"`
	// Known is true when the outcome was already certain at scoring time
	// (paid, or unpaid past the limit), so Probability is 0 or 1.
	Known bool `json:"known,omitempty"`
	// Factors are the top contributing features, in words.
	Factors []RiskFactor `json:"factors,omitempty"`
}

// RiskFactor is one fact's push on a risk score: Feature names the fact,
// Words says it for a person, and Effect is its signed share of the score,
// positive when it raises the risk. The unit of Effect is the model's own,
// so sizes rank the factors of one score and compare across models only by
// sign.
type RiskFactor struct {
	Feature string  `json:"feature"`
	Effect  float64 `json:"effect"`
	Words   string  `json:"words"`
}

// RiskScorer scores an exception's invoice. It returns nil (and no error)
// when there is nothing to score: no invoice id, an unknown invoice, or no
// active model.
type RiskScorer interface {
	Score(ctx context.Context, ex Exception) (*Risk, error)
}

// InvoiceStore reads invoices and what the risk features need about their
// customer.
type InvoiceStore interface {
	UpsertInvoices(ctx context.Context, invs []Invoice) error
	Invoice(ctx context.Context, id string) (Invoice, error)
	// CustomerInvoices returns the customer's invoices issued before t.
	CustomerInvoices(ctx context.Context, customerID string, before time.Time) ([]Invoice, error)
	// AllInvoices returns every invoice, for training.
	AllInvoices(ctx context.Context) ([]Invoice, error)
	// OpenExceptions counts the customer's exceptions not yet closed.
	OpenExceptions(ctx context.Context, customerID string) (int, error)
}

// RiskModel is a trained model in the registry.
type RiskModel struct {
	Version     string         `json:"version"`
	Family      string         `json:"family"`
	FeatureHash string         `json:"feature_hash"`
	Features    []string       `json:"features"`
	LateDays    int            `json:"late_days"`
	TrainedFrom time.Time      `json:"trained_from"`
	TrainedTo   time.Time      `json:"trained_to"`
	Metrics     map[string]any `json:"metrics"`
	CreatedAt   time.Time      `json:"created_at"`
	Active      bool           `json:"active"`
	Body        []byte         `json:"-"`
}

// ModelStore is the registry of trained risk models.
type ModelStore interface {
	SaveModel(ctx context.Context, m RiskModel) error
	ListModels(ctx context.Context) ([]RiskModel, error)
	// ActivateModel makes version the one the service uses.
	ActivateModel(ctx context.Context, version string) error
	// ActiveModel returns the active model with its body, ENOTFOUND if none.
	ActiveModel(ctx context.Context) (RiskModel, error)
	// ActiveModelVersion is a cheap check for a change of active model.
	ActiveModelVersion(ctx context.Context) (string, error)
}

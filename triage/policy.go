package triage

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"time"
)

// Policy governs what may happen without a person. It is loaded from a JSON
// file and versioned by the hash of its canonical form, so every decision
// names the exact rules it was made under.
type Policy struct {
	// DefaultThreshold is the confidence needed for automatic enrichment
	// when no type or action threshold applies. A threshold above 1
	// disables automation for that scope.
	DefaultThreshold float64 `json:"default_threshold"`
	// TypeThresholds and ActionThresholds override it; the stricter
	// (higher) of the applicable ones wins.
	TypeThresholds   map[Type]float64   `json:"type_thresholds,omitempty"`
	ActionThresholds map[string]float64 `json:"action_thresholds,omitempty"`
	// MaxAutoAmount is the largest amount (in USD after FX) acted on
	// automatically; 0 means no limit.
	MaxAutoAmount float64 `json:"max_auto_amount"`
	// HumanOnlyActions always go to a person, whatever the confidence:
	// money-moving actions such as credit memos, refunds and write-offs.
	HumanOnlyActions []string `json:"human_only_actions,omitempty"`
	// MinSimilarity is how close the nearest precedent must be for
	// automatic action.
	MinSimilarity float64 `json:"min_similarity"`
	// DefaultQueues owns each type when no precedent names a queue;
	// RootCauseQueues overrides the precedents' queue for a root cause.
	DefaultQueues   map[Type]Queue   `json:"default_queues"`
	RootCauseQueues map[string]Queue `json:"root_cause_queues,omitempty"`
	// FXToUSD converts amounts for the amount limit and the priority.
	// Unknown currencies count at 1.
	FXToUSD map[string]float64 `json:"fx_to_usd,omitempty"`
	// AgeWeightPerDay is how much a day of waiting adds to priority, in
	// the same unit as log10(amount in USD).
	AgeWeightPerDay float64 `json:"age_weight_per_day"`
	// RiskWeight is how much a collection risk of 1 adds to priority, in
	// the same unit.
	RiskWeight float64 `json:"risk_weight"`
	// MaxAutoRisk sends an exception to a person when its invoice's
	// collection risk is above it; 0 disables the check.
	MaxAutoRisk float64 `json:"max_auto_risk"`
	// EnrichmentThresholds is the confidence a learned correction of a
	// field needs to be applied automatically; a field not listed is never
	// corrected automatically.
	EnrichmentThresholds map[string]float64 `json:"enrichment_thresholds,omitempty"`
	// MoneyFields are never corrected without a person, whatever the
	// confidence.
	MoneyFields []string `json:"money_fields,omitempty"`
	// Neighbors is how many precedents a decision considers.
	Neighbors int `json:"neighbors"`
	// SourceWriters reserves a source for the roles that may submit
	// under it (an admin always may), so that no team can take another
	// system's ids first: e.g. {"erp-connector": ["finance"]}. A source
	// not listed is open to every role that may submit.
	SourceWriters map[string][]Role `json:"source_writers,omitempty"`

	version string
}

// MayWrite reports whether p may submit exceptions under source.
func (p *Policy) MayWrite(pr Principal, source string) bool {
	roles, reserved := p.SourceWriters[source]
	return !reserved || pr.Role == RoleAdmin || slices.Contains(roles, pr.Role)
}

// DefaultPolicy is used when no policy file is given. Its thresholds are
// conservative; `billtriage eval` recommends per-type thresholds from data.
func DefaultPolicy() *Policy {
	p := &Policy{
		DefaultThreshold: 0.85,
		TypeThresholds:   map[Type]float64{Other: 1.01},
		MaxAutoAmount:    25000,
		HumanOnlyActions: []string{"issue_credit_memo", "issue_refund", "refund_duplicate_charge",
			"write_off", "apply_unallocated_payment", "review_service_credit"},
		MinSimilarity: 0.5,
		DefaultQueues: map[Type]Queue{
			UsageMismatch: QueueRevOps, PricingDiscrepancy: QueueRevOps, ERPPostingFailure: QueueFinance,
			TaxInconsistency: QueueTax, BillingDispute: QueueSupport, Other: QueueFinance,
		},
		FXToUSD: map[string]float64{"USD": 1, "EUR": 1.08, "GBP": 1.27, "CAD": 0.73,
			"AUD": 0.66, "JPY": 0.0067, "CHF": 1.13, "SEK": 0.095, "INR": 0.012, "BRL": 0.18},
		AgeWeightPerDay:      0.25,
		RiskWeight:           2,
		EnrichmentThresholds: map[string]float64{"account_id": 0.7, "gl_account": 0.7, "tax_jurisdiction": 0.7, "price_book": 0.7},
		MoneyFields:          []string{"amount", "credit_amount", "currency", "discount_pct", "price", "tax_amount", "unit_price"},
		MaxAutoRisk:          0.7,
		Neighbors:            10,
	}
	if err := p.finish(); err != nil {
		panic(err) // the built-in policy is valid by construction
	}
	return p
}

// ParsePolicy reads a JSON policy, validates it and computes its version.
// Unknown fields are refused so a typo cannot silently loosen a rule, and
// so is anything but white space after the policy. An error reading r is
// wrapped, so callers can find it with errors.As.
func ParsePolicy(r io.Reader) (*Policy, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var p Policy
	if err := dec.Decode(&p); err != nil {
		return nil, Wrap(EINVALID, err, "policy is not valid JSON: %v", err)
	}
	// Whatever follows would be ignored: a second policy pasted after the
	// first, or the rest of one cut short by a stray brace.
	if _, err := dec.Token(); err != io.EOF {
		return nil, Wrap(EINVALID, err, "policy has data after its JSON object")
	}
	if err := p.finish(); err != nil {
		return nil, err
	}
	return &p, nil
}

// Version is "sha256:" and the first 12 hex digits of the hash of the
// policy's canonical JSON.
func (p *Policy) Version() string { return p.version }

func (p *Policy) finish() error {
	if err := p.validate(); err != nil {
		return err
	}
	sort.Strings(p.HumanOnlyActions)
	sort.Strings(p.MoneyFields)
	canon, err := json.Marshal(p) // map keys are sorted: canonical
	if err != nil {
		return Wrap(EINTERNAL, err, "encode policy")
	}
	sum := sha256.Sum256(canon)
	p.version = "sha256:" + hex.EncodeToString(sum[:])[:12]
	return nil
}

func (p *Policy) validate() error {
	if p.Neighbors == 0 {
		p.Neighbors = 10
	}
	switch {
	case p.DefaultThreshold < 0:
		return Invalid("default_threshold", "must be >= 0")
	case p.MaxAutoAmount < 0:
		return Invalid("max_auto_amount", "must be >= 0")
	case p.Neighbors < 1 || p.Neighbors > 100:
		return Invalid("neighbors", "must be between 1 and 100")
	case p.AgeWeightPerDay < 0:
		return Invalid("age_weight_per_day", "must be >= 0")
	case p.RiskWeight < 0:
		return Invalid("risk_weight", "must be >= 0")
	case p.MaxAutoRisk < 0 || p.MaxAutoRisk > 1:
		return Invalid("max_auto_risk", "must be between 0 and 1")
	}
	for src, roles := range p.SourceWriters {
		for _, r := range roles {
			if !r.Valid() {
				return Invalid("source_writers", "%q: unknown role %q", src, r)
			}
		}
	}
	for t, q := range p.DefaultQueues {
		if !t.Valid() || !q.Valid() {
			return Invalid("default_queues", "%q → %q: unknown type or queue", t, q)
		}
	}
	for _, t := range Types {
		if _, ok := p.DefaultQueues[t]; !ok {
			return Invalid("default_queues", "no queue for type %q", t)
		}
	}
	for t := range p.TypeThresholds {
		if !t.Valid() {
			return Invalid("type_thresholds", "unknown type %q", t)
		}
	}
	for rc, q := range p.RootCauseQueues {
		if !q.Valid() {
			return Invalid("root_cause_queues", "%q → unknown queue %q", rc, q)
		}
	}
	return nil
}

// MarshalIndented returns the policy as indented JSON, as a file would hold it.
func (p *Policy) MarshalIndented() []byte {
	b, _ := json.Marshal(p)
	var out bytes.Buffer
	_ = json.Indent(&out, b, "", "  ")
	return append(out.Bytes(), '\n')
}

// Threshold is the confidence needed to act automatically on action for an
// exception of type t: the strictest applicable threshold.
func (p *Policy) Threshold(t Type, action string) float64 {
	th := p.DefaultThreshold
	if v, ok := p.TypeThresholds[t]; ok {
		th = v
	}
	if v, ok := p.ActionThresholds[action]; ok && v > th {
		th = v
	}
	return th
}

// HumanOnly reports whether action always needs a person.
func (p *Policy) HumanOnly(action string) bool {
	i := sort.SearchStrings(p.HumanOnlyActions, action)
	return i < len(p.HumanOnlyActions) && p.HumanOnlyActions[i] == action
}

// EnrichThreshold is the confidence needed to correct field automatically;
// above 1 when the field may not be corrected automatically at all.
func (p *Policy) EnrichThreshold(field string) float64 {
	if p.MoneyField(field) {
		return math.Inf(1)
	}
	if th, ok := p.EnrichmentThresholds[field]; ok {
		return th
	}
	return math.Inf(1)
}

// MoneyField reports whether field moves money.
func (p *Policy) MoneyField(field string) bool {
	i := sort.SearchStrings(p.MoneyFields, field)
	return i < len(p.MoneyFields) && p.MoneyFields[i] == field
}

// AmountUSD converts an exception's amount for limits and priority.
func (p *Policy) AmountUSD(ex *Exception) float64 {
	if ex.Amount == nil {
		return 0
	}
	rate, ok := p.FXToUSD[ex.Currency]
	if !ok {
		rate = 1
	}
	return math.Abs(*ex.Amount) * rate
}

// SortKey orders a queue by priority = log10(1 + amount in USD)
// + RiskWeight × collection risk + AgeWeightPerDay × age in days. Age grows
// equally for every item, so ordering by priority now is the same as
// ordering by log10(1+amount) + RiskWeight × risk − AgeWeightPerDay × (days
// since the Unix epoch at occurred_at): a key that never changes, which
// keeps cursors stable. An unscored exception counts with risk 0.
func (p *Policy) SortKey(ex *Exception, risk *Risk) float64 {
	base := math.Log10(1 + p.AmountUSD(ex))
	if risk != nil {
		base += p.RiskWeight * risk.Probability
	}
	return base - p.AgeWeightPerDay*epochDays(ex.OccurredAt)
}

// Priority turns a sort key back into the priority at time now.
func (p *Policy) Priority(sortKey float64, now time.Time) float64 {
	return sortKey + p.AgeWeightPerDay*epochDays(now)
}

func epochDays(t time.Time) float64 {
	return float64(t.Unix()) / 86400
}

// String describes the policy briefly for logs.
func (p *Policy) String() string {
	return fmt.Sprintf("policy %s (default threshold %.2f)", p.version, p.DefaultThreshold)
}

package triage

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
)

// ActionLists maps an exception type to action names: the policy's
// automatable_actions.
type ActionLists map[Type][]string

// nullListsError is a JSON null given for automatable_actions.
type nullListsError struct{}

func (*nullListsError) Error() string { return "automatable_actions is null" }

// UnmarshalJSON refuses null. Decoded as a plain map, null would leave the
// lists unset and so mean the defaults, while whoever wrote it may well
// have meant "none": an absent key and {} say each of those unambiguously.
func (l *ActionLists) UnmarshalJSON(b []byte) error {
	if string(bytes.TrimSpace(b)) == "null" {
		return &nullListsError{}
	}
	m := map[Type][]string{}
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*l = m
	return nil
}

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
	// AutomatableActions lists, per type, the only actions that may ever
	// be applied without a person: automation is default-deny, so an
	// action a data set names differently (a new taxonomy's
	// credit_cancelled_period, say) goes to a person instead of slipping
	// past a list of names to refuse. A policy file without the key gets
	// DefaultAutomatableActions, so an older file never allows everything;
	// an explicit {} allows nothing, and a type not in a non-empty map has
	// nothing automatable. The other rules still apply to listed actions.
	AutomatableActions ActionLists `json:"automatable_actions"`
	// HumanOnlyActions always go to a person, whatever the confidence:
	// money-moving actions such as credit memos, refunds and write-offs.
	// It is an extra deny list on top of AutomatableActions, so that
	// allowing an action for a type can never let one of these through.
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
	// MinInformativeness is how much a case's text (with its attributes)
	// must say about the cause for automatic action: the sum of its words'
	// weights learned from the type's history (see CauseWords). A vague
	// text ("invoice looks wrong, please check") scores near 0 and goes to
	// a person however confident the suggestion. Absent from a file means
	// DefaultMinInformativeness; 0 disables the check.
	MinInformativeness *float64 `json:"min_informativeness,omitempty"`
	// ParamDefaults sets, per action, values for parameters the case does
	// not state (a standard retry interval, a reason code). A learned
	// place that has a value for the case always wins; a suggested value
	// from here is marked as the policy's.
	ParamDefaults map[string]map[string]any `json:"param_defaults,omitempty"`
	// SourceWriters reserves a source for the roles that may submit
	// under it (an admin always may), so that no team can take another
	// system's ids first: e.g. {"erp-connector": ["finance"]}. A source
	// not listed is open to every role that may submit.
	SourceWriters map[string][]Role `json:"source_writers,omitempty"`
	// Alarms sets the drift alarms' thresholds; absent means
	// DefaultAlarms (see Alarms).
	Alarms *Alarms `json:"alarms,omitempty"`
	// Brake pauses automation of a type whose realised precision falls
	// below a floor (see BrakeRule); a type not listed never pauses.
	Brake map[Type]BrakeRule `json:"brake,omitempty"`

	version string
}

// MayWrite reports whether p may submit exceptions under source.
func (p *Policy) MayWrite(pr Principal, source string) bool {
	roles, reserved := p.SourceWriters[source]
	return !reserved || pr.Role == RoleAdmin || slices.Contains(roles, pr.Role)
}

// DefaultMinInformativeness is the default policy's min_informativeness:
// one word that points to a single cause, or a few that point to two or
// three. BENCHMARKS.md ("Vague texts") measures what it does on the
// generated set's vague texts and on the clear ones.
const DefaultMinInformativeness = 1.0

// Informative returns the informativeness the policy requires.
func (p *Policy) Informative() float64 {
	if p.MinInformativeness == nil {
		return DefaultMinInformativeness
	}
	return *p.MinInformativeness
}

// DefaultAutomatableActions is the default policy's automatable_actions,
// and what a policy file without the key gets: every action of the
// project's own taxonomy (dataset/generate's catalog) that is not
// human-only, so the default-deny rule changes nothing on that taxonomy.
// Other's actions are listed although its type threshold above 1 keeps it
// off, so that the threshold stays the one knob for that type. A test in
// dataset/generate keeps this list equal to the catalog. The result is a
// fresh copy.
func DefaultAutomatableActions() ActionLists {
	return ActionLists{
		UsageMismatch:      {"dedupe_usage_events", "fix_meter_conversion", "map_usage_account", "rerate_usage_period"},
		PricingDiscrepancy: {"apply_contract_discount", "recalculate_proration", "switch_price_book"},
		ERPPostingFailure:  {"add_gl_mapping", "repost_next_open_period", "retry_posting", "sync_customer_to_erp"},
		TaxInconsistency:   {"correct_tax_jurisdiction", "request_exemption_certificate", "request_tax_id", "update_tax_rates"},
		BillingDispute:     {"explain_price_change", "send_usage_breakdown"},
		Other:              {"reissue_invoice_with_po", "resend_invoice", "update_billing_contact"},
	}
}

// DefaultPolicy is used when no policy file is given. Its thresholds are
// conservative; `billtriage eval` recommends per-type thresholds from data.
func DefaultPolicy() *Policy {
	p := &Policy{
		DefaultThreshold:   0.85,
		TypeThresholds:     map[Type]float64{Other: 1.01},
		MaxAutoAmount:      25000,
		AutomatableActions: DefaultAutomatableActions(),
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
		var null *nullListsError
		if errors.As(err, &null) {
			return nil, Invalid("automatable_actions", "null is not a list of actions: leave the key out for the default lists, or give {} to automate nothing")
		}
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
	if p.MinInformativeness == nil {
		// Filled in before hashing, like the action lists below.
		v := DefaultMinInformativeness
		p.MinInformativeness = &v
	}
	if p.AutomatableActions == nil {
		// An older policy file, written before the key existed: it gets
		// today's lists rather than everything. Filled in before hashing,
		// so the version names the lists actually in force.
		p.AutomatableActions = DefaultAutomatableActions()
	}
	for t, actions := range p.AutomatableActions {
		// Sorted and deduplicated, so the version does not depend on the
		// order a file lists them in, and Automatable can search.
		slices.Sort(actions)
		p.AutomatableActions[t] = slices.Compact(actions)
	}
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
	case p.MinInformativeness != nil && (*p.MinInformativeness < 0 || *p.MinInformativeness > 100):
		return Invalid("min_informativeness", "must be between 0 and 100")
	case len(p.ParamDefaults) > MaxParamDefaultActions:
		return Invalid("param_defaults", "may set at most %d actions", MaxParamDefaultActions)
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
	for t, actions := range p.AutomatableActions {
		if !t.Valid() {
			return Invalid("automatable_actions", "unknown type %q (want one of %s)", t, joinTypes())
		}
		for _, a := range actions {
			if strings.TrimSpace(a) == "" {
				return Invalid("automatable_actions", "%q: an action name is empty", t)
			}
		}
	}
	for rc, q := range p.RootCauseQueues {
		if !q.Valid() {
			return Invalid("root_cause_queues", "%q → unknown queue %q", rc, q)
		}
	}
	if err := p.validateAlarms(); err != nil {
		return err
	}
	return p.validateParamDefaults()
}

// MaxParamDefaultActions bounds param_defaults: a policy names defaults
// for a taxonomy's actions, not a data set.
const MaxParamDefaultActions = 200

// validateParamDefaults checks that each default is a named scalar value
// within the limits of a resolution's params: a default becomes one.
func (p *Policy) validateParamDefaults() error {
	for action, defaults := range p.ParamDefaults {
		if strings.TrimSpace(action) == "" {
			return Invalid("param_defaults", "an action name is empty")
		}
		for name, v := range defaults {
			switch v.(type) {
			case string, float64, bool:
			default:
				return Invalid("param_defaults", "%s.%s: a default must be a string, number or boolean", action, name)
			}
			if name == CorrectionsParam || strings.TrimSpace(name) == "" {
				return Invalid("param_defaults", "%s: %q cannot have a default", action, name)
			}
		}
		if err := ValidateAttributes("param_defaults", defaults); err != nil {
			return err
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

// Automatable reports whether the policy lists action as automatable for
// type t. It says nothing of the other rules (thresholds, human-only
// actions, limits), which Decide applies as well.
func (p *Policy) Automatable(t Type, action string) bool {
	_, ok := slices.BinarySearch(p.AutomatableActions[t], action)
	return ok
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

package triage

// Check names one pre-release control check.
type Check string

// The pre-release control checks, in the order they run.
const (
	CheckCustomerMaster Check = "customer_master"
	CheckLegalEntity    Check = "legal_entity"
	CheckRevenueAccount Check = "revenue_account"
	CheckTaxTreatment   Check = "tax_treatment"
	CheckPriceBook      Check = "price_book"
	CheckPostingPeriod  Check = "posting_period"
)

// Checks lists every check in a stable order.
var Checks = []Check{CheckCustomerMaster, CheckLegalEntity, CheckRevenueAccount, CheckTaxTreatment, CheckPriceBook, CheckPostingPeriod}

// Type is the exception type a finding of the check raises: what would
// have been raised after the failed release.
func (c Check) Type() Type {
	switch c {
	case CheckTaxTreatment:
		return TaxInconsistency
	case CheckPriceBook:
		return PricingDiscrepancy
	}
	return ERPPostingFailure
}

// Severity grades a finding.
type Severity string

// Severities, least severe first.
const (
	SeverityInfo    Severity = "info"
	SeverityWarning Severity = "warning"
	SeverityError   Severity = "error"
)

// Rank orders severities; an unknown one ranks below info.
func (s Severity) Rank() int {
	switch s {
	case SeverityInfo:
		return 1
	case SeverityWarning:
		return 2
	case SeverityError:
		return 3
	}
	return 0
}

// Finding is what one check found wrong with a draft: the field, what it
// holds, what the history expects there and the evidence for it.
type Finding struct {
	Check    Check    `json:"check"`
	Field    string   `json:"field"`
	Got      string   `json:"got"`
	Expected string   `json:"expected"`
	Evidence string   `json:"evidence"`
	Support  int      `json:"support"`
	Severity Severity `json:"severity"`
}

// CheckResult is the answer for one draft: its findings, whether it may
// be released, and the exceptions raised for findings at or above the
// configured severity.
type CheckResult struct {
	DraftID  string       `json:"draft_id"`
	Release  bool         `json:"release"`
	Findings []Finding    `json:"findings"`
	Raised   []Submission `json:"raised,omitempty"`
}

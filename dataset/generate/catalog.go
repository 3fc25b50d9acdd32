package generate

import "slices"

// Cause is one root cause the generator knows, with the action that fixes it
// and the queue that owns it. MoneyMoving marks actions that move money
// (refunds, credit memos), which a policy should not automate lightly.
type Cause struct {
	Type, RootCause, Action, Queue string
	MoneyMoving                    bool
}

// Catalog returns every cause the generator uses, grouped by type in the
// order of dataset.Types. Each root cause appears once; an action may serve
// several causes (issue_credit_memo does). The slice is a fresh copy.
func Catalog() []Cause {
	out := make([]Cause, len(causes))
	for i, c := range causes {
		out[i] = c.Cause
	}
	return out
}

// stake says what the record's amount measures.
type stake int

const (
	stakeNone    stake = iota // no amount on the record
	stakeInvoice              // the whole invoice
	stakeOver                 // positive: overbilled part
	stakeUnder                // negative: underbilled part
)

// style says how a template's text is presented.
type style int

const (
	plain style = iota // machine or alert text, used as rendered
	note               // an analyst's note: sometimes gets typos
	mail               // an e-mail body: wrapped with greeting, signature…
)

type tmpl struct {
	source string
	style  style
	text   string
}

// Sources of format v1 records written by the generator.
const (
	srcBilling = "billing-api"
	srcERP     = "erp-connector"
	srcUsage   = "usage-pipeline"
	srcSupport = "support-inbox"
	srcTax     = "tax-engine"
)

// cause is a Cause plus everything needed to write records for it.
type cause struct {
	Cause
	weight  float64  // relative frequency within its type
	regions []string // regions where it mostly happens; nil means anywhere
	stake   stake
	params  func(*recCtx) map[string]any
	correct func(*recCtx) correction // the field the action corrects; nil when none
	texts   []tmpl
}

// causes is the full table, in Catalog order.
var causes = slices.Concat(usageCauses, pricingCauses, erpCauses, taxCauses, disputeCauses, otherCauses)

// causesOfType returns the table rows of one type, in table order.
func causesOfType(typ string) []*cause {
	var out []*cause
	for i := range causes {
		if causes[i].Type == typ {
			out = append(out, &causes[i])
		}
	}
	return out
}

package disputes

import (
	"context"
	"fmt"

	"github.com/billtriage/billtriage/disputes/email"
	"github.com/billtriage/billtriage/triage"
)

// assist asks the optional language model for a summary. Only redacted
// text leaves the process, and the answer is stored beside the exception
// for the reviewer, never used by the decision. A failing or slow model
// is recorded and ignored.
func (in *Intake) assist(ctx context.Context, e *email.Email, ex *triage.Exception, res *Result) {
	if in.Assistant == nil {
		return
	}
	text, redacted := email.Redact(e.Text())
	res.Redacted = redacted
	reasons, err := in.Reasons.RootCauses(ctx, triage.BillingDispute)
	if err == nil {
		a, aerr := in.Assistant.Assist(ctx, text, reasons)
		if aerr == nil {
			res.Assist = &a
			ex.Attributes["assist_summary"] = a.Summary
			ex.Attributes["assist_model"] = a.Model
			return
		}
		err = aerr
	}
	if err != nil {
		res.AssistErr = fmt.Sprintf("assist unavailable, the local path decided alone: %v", err)
	}
}

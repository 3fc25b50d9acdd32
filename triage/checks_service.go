package triage

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// CheckSource is the source of the exceptions the pre-release checks
// raise; their id is the draft's and the check's (see checkExceptionID),
// so checking a draft again raises nothing new.
const CheckSource = "billtriage-checks"

// CheckInvoices runs the pre-release control checks on a batch of drafts
// for p, who must be allowed to submit exceptions: the findings of each
// check at or above the configured severity raise one exception of the
// check's type through the same path as any submission, before the draft
// is posted. A draft with no such finding may be released.
func (s *Service) CheckInvoices(ctx context.Context, p Principal, drafts []Draft) ([]CheckResult, error) {
	if !p.CanSubmit() {
		return nil, Authorize(false, p, "check invoices")
	}
	if s.checkHistory == nil {
		return nil, Errorf(EUNAVAILABLE, "no check history is configured")
	}
	if err := validateDrafts(drafts); err != nil {
		return nil, err
	}
	k, err := s.checkKnowledge(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	out := make([]CheckResult, len(drafts))
	for i, d := range drafts {
		res := CheckResult{DraftID: d.ID, Findings: k.CheckDraft(d, now, s.checkCfg)}
		if res.Findings == nil {
			res.Findings = []Finding{}
		}
		exs := raisedExceptions(d, res.Findings, s.checkCfg.withDefaults().RaiseAt, now)
		res.Release = len(exs) == 0
		if len(exs) > 0 {
			subs, err := s.submit(ctx, p, exs)
			if err != nil {
				return nil, NameDraft(draftField(err), i)
			}
			res.Raised = subs
		}
		out[i] = res
	}
	return out, nil
}

func validateDrafts(drafts []Draft) error {
	switch {
	case len(drafts) == 0:
		return Invalid("drafts", "must hold at least one draft")
	case len(drafts) > MaxDrafts:
		return Invalid("drafts", "has %d drafts, more than %d", len(drafts), MaxDrafts)
	}
	seen := map[string]bool{}
	for i := range drafts {
		if err := drafts[i].Validate(); err != nil {
			return NameDraft(err, i)
		}
		if seen[drafts[i].ID] {
			return NameDraft(Invalid("draft_id", "repeats draft %q of the same batch", drafts[i].ID), i)
		}
		seen[drafts[i].ID] = true
	}
	return nil
}

// checkKnowledge learns the checks' expectations, or reuses them while
// they are younger than LearnedRefresh.
func (s *Service) checkKnowledge(ctx context.Context) (*CheckKnowledge, error) {
	now := s.now()
	if k, ok := s.checkLearned.get("", now); ok {
		return k, nil
	}
	h, err := s.checkHistory.CheckHistory(ctx)
	if err != nil {
		return nil, err
	}
	k := LearnChecks(h)
	s.checkLearned.put("", k, now)
	return k, nil
}

// raisedExceptions groups the findings at or above raiseAt by check: one
// exception per draft and check. Its text and attributes depend on the
// draft and what was expected, not on how much evidence there was, so a
// retry after the history grew is still the same record.
func raisedExceptions(d Draft, fs []Finding, raiseAt Severity, now time.Time) []Exception {
	var out []Exception
	for _, c := range Checks {
		var lines []string
		var fields []any
		for _, f := range fs {
			if f.Check == c && f.Severity.Rank() >= raiseAt.Rank() {
				lines = append(lines, fmt.Sprintf("%s is %q, expected %s", f.Field, f.Got, f.Expected))
				fields = append(fields, f.Field)
			}
		}
		if len(lines) == 0 {
			continue
		}
		out = append(out, Exception{Source: CheckSource, ExternalID: checkExceptionID(d.ID, c), Type: c.Type(),
			OccurredAt: now, CustomerID: d.CustomerID, InvoiceID: d.InvoiceID, Amount: d.Total(), Currency: d.Currency, Region: d.Region,
			Text: fmt.Sprintf("Pre-release check %s failed for draft %s (customer %s, entity %s, period %s): %s.",
				c, d.ID, d.CustomerID, d.Entity, d.Period, strings.Join(lines, "; ")),
			Attributes: draftAttributes(d, c, fields)})
	}
	return out
}

// draftField names the draft's id for a refused raise: the exception's
// id is the draft's and the check's (a different record stored under it
// is a conflict).
func draftField(err error) error {
	e, ok := err.(*Error)
	if !ok || e.Field == "" {
		return err
	}
	c := *e
	c.Field = "draft_id"
	return &c
}

// checkExceptionID is the external id of the exception a check raises
// for a draft.
func checkExceptionID(draftID string, c Check) string { return draftID + "#" + string(c) }

// draftAttributes are the draft's facts as an exception's attributes, the
// names the history's cases use, so enrichment and precedents apply.
func draftAttributes(d Draft, c Check, fields []any) map[string]any {
	a := map[string]any{"check": string(c), "draft_id": d.ID, "entity": d.Entity, "period": d.Period, "fields": fields}
	put := func(k, v string) {
		if v != "" {
			a[k] = v
		}
	}
	put("account_key", d.AccountKey)
	put("jurisdiction", d.TaxCode)
	if len(d.Lines) > 0 {
		put("sku", d.Lines[0].SKU)
		put("gl_account", d.Lines[0].GLAccount)
		put("price_book", d.Lines[0].PriceBook)
		put("subscription", d.Lines[0].Subscription)
	}
	return a
}

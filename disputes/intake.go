package disputes

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/billtriage/billtriage/disputes/email"
	"github.com/billtriage/billtriage/triage"
)

// OriginalAttr is the exception attribute that keeps the email as pasted:
// the exception's text is only the customer's new words, and a reviewer
// may need the rest. The domain bounds it like a text (an email is at
// most email.MaxBytes), not like the other attributes.
const OriginalAttr = triage.OriginalAttr

// CustomerFinder links a sender's domain to a known customer.
type CustomerFinder interface {
	// CustomerByDomain returns the customer most often seen with domain,
	// "" when none.
	CustomerByDomain(ctx context.Context, domain string) (string, error)
}

// ReasonSource lists the root causes the history knows for a type.
type ReasonSource interface {
	RootCauses(ctx context.Context, t triage.Type) ([]string, error)
}

// Intake turns a pasted email into a triaged billing_dispute exception:
// parse, link to a customer and invoice, triage through the same service
// and policy as every other exception, and optionally ask a language model
// for a summary for the reviewer.
type Intake struct {
	Service   *triage.Service
	Invoices  triage.InvoiceStore
	Customers CustomerFinder
	// Assistant is optional. Its answer never reaches the decision: the
	// exception is triaged from the local parse alone.
	Assistant triage.Assistant
	// Reasons lists the dispute reason codes the history knows, which the
	// assistant must choose from; required with an Assistant.
	Reasons ReasonSource
	Now     func() time.Time
}

// Request is one pasted email with optional hints from the agent.
type Request struct {
	Raw        string `json:"text"`
	CustomerID string `json:"customer_id,omitempty"`
	InvoiceID  string `json:"invoice_id,omitempty"`
}

// Result is what the intake understood and decided.
type Result struct {
	Email     *email.Email      `json:"email"`
	Link      Link              `json:"link"`
	Exception triage.Exception  `json:"exception"`
	Decision  *triage.Decision  `json:"decision,omitempty"`
	Created   bool              `json:"created"`
	Assist    *triage.Assist    `json:"assist,omitempty"`
	AssistErr string            `json:"assist_error,omitempty"`
	Redacted  []email.Redaction `json:"redacted,omitempty"`
}

// Link says which customer and invoice the email was linked to, and how.
type Link struct {
	CustomerID string `json:"customer_id,omitempty"`
	InvoiceID  string `json:"invoice_id,omitempty"`
	By         string `json:"by,omitempty"` // "hint", "invoice", "sender domain"
}

// Submit parses, links and triages req for p. An email over
// email.MaxBytes fails with an error wrapping email.ErrTooLarge.
func (in *Intake) Submit(ctx context.Context, p triage.Principal, req Request) (*Result, error) {
	if !p.CanSubmit() {
		// Refused before parsing: nothing of the email is processed.
		return nil, triage.Authorize(false, p, "submit disputes")
	}
	now := in.now()
	e, err := email.ParseAt([]byte(req.Raw), now)
	if errors.Is(err, email.ErrTooLarge) {
		return nil, err
	}
	if err != nil || strings.TrimSpace(e.Text()) == "" {
		return nil, triage.Invalid("text", "no email text to triage")
	}
	res := &Result{Email: e}
	if res.Link, err = in.link(ctx, e, req); err != nil {
		return nil, err
	}
	ex := in.exception(req.Raw, e, res.Link, now)
	in.assist(ctx, e, &ex, res)
	subs, err := in.Service.Submit(ctx, p, []triage.Exception{ex})
	if err != nil {
		return nil, err
	}
	res.Exception, res.Decision, res.Created = subs[0].Exception, subs[0].Decision, subs[0].Created
	return res, nil
}

func (in *Intake) now() time.Time {
	if in.Now != nil {
		return in.Now().UTC()
	}
	return time.Now().UTC()
}

// link prefers the agent's hints, then an invoice the email names that is
// known, then the customer most often seen with the sender's domain.
func (in *Intake) link(ctx context.Context, e *email.Email, req Request) (Link, error) {
	l := Link{CustomerID: req.CustomerID, InvoiceID: req.InvoiceID}
	if l.CustomerID != "" || l.InvoiceID != "" {
		l.By = "hint"
	}
	for _, id := range e.InvoiceIDs {
		if l.InvoiceID != "" && l.CustomerID != "" {
			break
		}
		inv, err := in.Invoices.Invoice(ctx, id)
		if triage.ErrorCode(err) == triage.ENOTFOUND {
			continue
		}
		if err != nil {
			return l, err
		}
		l.InvoiceID, l.By = inv.InvoiceID, firstOf(l.By, "invoice")
		if l.CustomerID == "" {
			l.CustomerID = inv.CustomerID
		}
	}
	if l.CustomerID == "" && e.From.Domain() != "" && in.Customers != nil {
		c, err := in.Customers.CustomerByDomain(ctx, e.From.Domain())
		if err != nil {
			return l, err
		}
		if c != "" {
			l.CustomerID, l.By = c, firstOf(l.By, "sender domain")
		}
	}
	if l.InvoiceID == "" && len(e.InvoiceIDs) > 0 {
		l.InvoiceID = e.InvoiceIDs[0] // named but unknown: kept for the reviewer
	}
	return l, nil
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// exception builds the billing_dispute exception. Its text is what the
// customer wrote this time; the original paste is kept for the reviewer.
// The id is a hash of the paste, so pasting twice gives one exception.
func (in *Intake) exception(raw string, e *email.Email, l Link, now time.Time) triage.Exception {
	sum := sha256.Sum256([]byte(strings.ReplaceAll(raw, "\r\n", "\n")))
	ex := triage.Exception{Source: "support-inbox", ExternalID: "email-" + hex.EncodeToString(sum[:12]), Type: triage.BillingDispute,
		OccurredAt: now, Text: e.Text(), CustomerID: l.CustomerID, InvoiceID: l.InvoiceID,
		Attributes: map[string]any{"channel": "email", OriginalAttr: raw}}
	// What the email claims is kept only within the exception's limits: a
	// wrong Date header, a domain longer than DNS allows or an absurd
	// figure must not refuse the customer's complaint.
	if e.Date != nil && triage.PlausibleTime(*e.Date, now) {
		ex.OccurredAt = e.Date.UTC()
	}
	if d := e.From.Domain(); d != "" && len(d) <= maxDomainBytes {
		ex.Attributes["sender_domain"] = d
	}
	if len(e.Amounts) > 0 && triage.PlausibleAmount(e.Amounts[0].Value) {
		a := e.Amounts[0].Value
		ex.Amount, ex.Currency = &a, e.Amounts[0].Currency
	}
	return ex
}

// maxDomainBytes is the longest DNS name (RFC 1035).
const maxDomainBytes = 253

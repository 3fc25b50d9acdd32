package api

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/billtriage/billtriage/disputes"
	"github.com/billtriage/billtriage/disputes/email"
	"github.com/billtriage/billtriage/triage"
)

// disputeView is the paste-a-dispute page: the form, and after a submit the
// parsed email and the triage result.
type disputeView struct {
	Text       string
	CustomerID string
	Email      *emailView
	Result     *submitResult
	Error      string
}

// submitResult is the triage of a pasted dispute.
type submitResult struct {
	Ex       triage.Exception
	Decision *triage.Decision
	Risk     riskView
	// Created is false when the same text was submitted before.
	Created bool
	// Href links to the detail page when the person may open it: a dispute
	// can land in a queue support does not work (service credits go to
	// finance).
	Href string
}

func (s *Server) disputePage(w http.ResponseWriter, r *http.Request) {
	if !s.canSubmit(w, r) {
		return
	}
	s.render(w, r, http.StatusOK, "dispute", "Paste a dispute", disputeView{})
}

// submitDispute hands a pasted email to the same dispute intake as the API
// and the CLI (parse, link to invoice or customer, triage) and shows the
// parsed email and the result on the same page. The intake identifies the
// email by a hash of its text, so pressing submit twice triages once.
func (s *Server) submitDispute(w http.ResponseWriter, r *http.Request) {
	if !s.canSubmit(w, r) {
		return
	}
	v := disputeView{Text: normalizeNewlines(r.PostFormValue("email")), CustomerID: strings.TrimSpace(r.PostFormValue("customer_id"))}
	if v.Text == "" {
		s.disputeRefused(w, r, http.StatusBadRequest, v, "Paste the email, headers included if you have them.")
		return
	}
	v.Email = parseEmail(v.Text, s.now())
	res, err := s.intake.Submit(r.Context(), principal(r), disputes.Request{Raw: v.Text, CustomerID: v.CustomerID})
	switch code := triage.ErrorCode(err); {
	case errors.Is(err, email.ErrTooLarge):
		s.disputeRefused(w, r, http.StatusRequestEntityTooLarge, v, "The email is larger than 256 KB; paste the customer's latest message.")
	case code == triage.EINVALID:
		s.disputeRefused(w, r, http.StatusBadRequest, v, message(err))
	case code == triage.EUNAVAILABLE:
		// The email is stored; submitting the same text again triages it.
		s.disputeRefused(w, r, http.StatusServiceUnavailable, v, message(err)+" Submit again in a moment.")
	case err != nil:
		s.failPage(w, r, err)
	default:
		v.Result = s.submitResult(principal(r), triage.Submission{Exception: res.Exception, Decision: res.Decision, Created: res.Created})
		s.render(w, r, http.StatusOK, "dispute", "Dispute triaged", v)
	}
}

// disputeRefused shows the form again, as typed, with what went wrong.
func (s *Server) disputeRefused(w http.ResponseWriter, r *http.Request, status int, v disputeView, msg string) {
	v.Error = msg
	s.render(w, r, status, "dispute", "Paste a dispute", v)
}

func (s *Server) submitResult(p triage.Principal, sub triage.Submission) *submitResult {
	res := &submitResult{Ex: sub.Exception, Decision: sub.Decision, Created: sub.Created, Risk: riskOfDecision(sub.Decision)}
	if p.CanSee(sub.Exception.Queue) {
		res.Href = fmt.Sprintf("/ui/exceptions/%d", sub.Exception.ID)
	}
	return res
}

// canSubmit refuses the dispute page to roles that may not create
// exceptions.
func (s *Server) canSubmit(w http.ResponseWriter, r *http.Request) bool {
	if p := principal(r); !p.CanSubmit() {
		s.forbidden(w, r, fmt.Sprintf("The %s role reads cases but does not submit them.", p.Role))
		return false
	}
	return true
}

// normalizeNewlines turns the CRLF line ends browsers send for a text area
// into LF, so the same email pasted from different systems hashes alike.
func normalizeNewlines(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n"))
}

package api

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/billtriage/billtriage/triage"
)

// policyView is the policy page: the policy in force and its history, a
// version's diff, a candidate with its preview, and the shadow's report.
type policyView struct {
	CanAdmin  bool
	Active    *triage.Policy
	Versions  []triage.PolicyVersion
	Diff      *triage.PolicyVersionDetail
	Candidate string
	Since     string
	Preview   *triage.Preview
	Shadow    *triage.ShadowReport
	// ModelShadow is the running risk-model shadow's report.
	ModelShadow *triage.ModelShadowReport
	Notice      string
	Error       string
}

// policyVersionsShown is how many versions the page lists.
const policyVersionsShown = 50

func (s *Server) policyPage(w http.ResponseWriter, r *http.Request) {
	v := policyView{Since: "30d"}
	if id, err := strconv.ParseInt(r.URL.Query().Get("version"), 10, 64); err == nil {
		d, err := s.svc.PolicyVersionDetail(r.Context(), principal(r), id)
		if err != nil {
			s.failPage(w, r, err)
			return
		}
		v.Diff = &d
	}
	v.Notice = policyNotice(r.URL.Query().Get("done"))
	s.renderPolicy(w, r, http.StatusOK, v)
}

// renderPolicy fills in what every state of the page shows and renders.
func (s *Server) renderPolicy(w http.ResponseWriter, r *http.Request, status int, v policyView) {
	p := principal(r)
	vs, err := s.svc.PolicyVersions(r.Context(), p, policyVersionsShown)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	v.Versions, v.CanAdmin, v.Active = vs, p.CanAdminister(), s.svc.Policy()
	if v.Candidate == "" {
		v.Candidate = string(v.Active.MarshalIndented())
	}
	if rep, err := s.svc.ShadowReport(r.Context(), p, 0); err == nil {
		v.Shadow = &rep
	} else if triage.ErrorCode(err) != triage.ENOTFOUND {
		s.failPage(w, r, err)
		return
	}
	if v.ModelShadow, err = s.modelShadowFor(r); err != nil {
		s.failPage(w, r, err)
		return
	}
	s.render(w, r, status, "policy", "Policy", v)
}

// previewAction previews the candidate in the form and shows the result
// with the activate and shadow buttons.
func (s *Server) previewAction(w http.ResponseWriter, r *http.Request) {
	v := policyView{Candidate: r.PostFormValue("policy"), Since: strings.TrimSpace(r.PostFormValue("since"))}
	pv, err := s.svc.PreviewPolicy(r.Context(), principal(r), strings.NewReader(v.Candidate), v.Since)
	if err != nil {
		s.refusePolicy(w, r, v, err)
		return
	}
	v.Preview = &pv
	s.renderPolicy(w, r, http.StatusOK, v)
}

// activateAction puts the candidate in force with the preview the form
// names; without a fresh preview of it the page says why it refused.
func (s *Server) activateAction(w http.ResponseWriter, r *http.Request) {
	v := policyView{Candidate: r.PostFormValue("policy"), Since: "30d"}
	_, err := s.svc.ChangePolicy(r.Context(), principal(r), strings.NewReader(v.Candidate), formChange(r))
	if err != nil {
		s.refusePolicy(w, r, v, err)
		return
	}
	http.Redirect(w, r, "/ui/policy?done=activated", http.StatusSeeOther)
}

// shadowAction starts the candidate in shadow with the form's preview.
func (s *Server) shadowAction(w http.ResponseWriter, r *http.Request) {
	v := policyView{Candidate: r.PostFormValue("policy"), Since: "30d"}
	_, err := s.svc.StartShadow(r.Context(), principal(r), strings.NewReader(v.Candidate), formChange(r))
	if err != nil {
		s.refusePolicy(w, r, v, err)
		return
	}
	http.Redirect(w, r, "/ui/policy?done=shadowed", http.StatusSeeOther)
}

// versionAction rolls back to a version; shadowEnd promotes or discards
// the shadow.
func (s *Server) rollbackAction(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		_, err = s.svc.RollbackPolicy(r.Context(), principal(r), id, strings.TrimSpace(r.PostFormValue("reason")))
	}
	s.afterPolicyAction(w, r, err, "rolledback")
}

func (s *Server) promoteAction(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		_, err = s.svc.PromoteShadow(r.Context(), principal(r), id, strings.TrimSpace(r.PostFormValue("reason")))
	}
	s.afterPolicyAction(w, r, err, "promoted")
}

func (s *Server) discardAction(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = s.svc.DiscardShadow(r.Context(), principal(r), id, strings.TrimSpace(r.PostFormValue("reason")))
	}
	s.afterPolicyAction(w, r, err, "discarded")
}

func (s *Server) afterPolicyAction(w http.ResponseWriter, r *http.Request, err error, done string) {
	if err != nil {
		s.refusePolicy(w, r, policyView{Since: "30d"}, err)
		return
	}
	http.Redirect(w, r, "/ui/policy?done="+done, http.StatusSeeOther)
}

// refusePolicy shows the page again with why an action was refused; a
// refusal of the caller's rights is an error page.
func (s *Server) refusePolicy(w http.ResponseWriter, r *http.Request, v policyView, err error) {
	switch triage.ErrorCode(err) {
	case triage.EINVALID, triage.ECONFLICT, triage.ENOTFOUND:
		v.Error = message(err)
		s.renderPolicy(w, r, s.status(r, err), v)
	default:
		s.failPage(w, r, err)
	}
}

// formChange reads the form's preview id and reason.
func formChange(r *http.Request) triage.ChangeRequest {
	return triage.ChangeRequest{Reason: strings.TrimSpace(r.PostFormValue("reason")),
		PreviewID: previewID(strings.TrimSpace(r.PostFormValue("preview_id")))}
}

// policyNotice is the notice after an action, from a known word only.
func policyNotice(done string) string {
	return map[string]string{
		"activated":       "The candidate is now the policy in force.",
		"shadowed":        "The candidate now decides in shadow beside the policy in force; its decisions are recorded, never acted on.",
		"rolledback":      "The earlier version is back in force.",
		"promoted":        "The shadow policy is now in force.",
		"discarded":       "The shadow policy was discarded; nothing changed.",
		"model-promoted":  "The shadow risk model is now the active one.",
		"model-discarded": "The shadow risk model was discarded; nothing changed.",
	}[done]
}

// ci formats a precision with its interval, or a dash when nothing was
// judged.
func ci(c triage.PrecisionCI) string {
	if c.Precision == nil {
		return "—"
	}
	return fmt.Sprintf("%.3f [%.3f, %.3f] (n=%d)", *c.Precision, *c.Low, *c.High, c.Judged)
}

// optPrecision formats a precision that may be absent.
func optPrecision(p *float64, n int) string {
	if p == nil {
		return "—"
	}
	return fmt.Sprintf("%.3f (n=%d)", *p, n)
}

// diffValue shows a setting's value in a diff compactly.
func diffValue(v any) string {
	if v == nil {
		return "—"
	}
	return fmt.Sprint(v)
}

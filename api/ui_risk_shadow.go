package api

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/billtriage/billtriage/triage"
)

// modelShadowFor reads the running risk-model shadow's report for the
// policy page: nil when none runs or no registry is configured.
func (s *Server) modelShadowFor(r *http.Request) (*triage.ModelShadowReport, error) {
	rep, err := s.svc.ModelShadowReport(r.Context(), principal(r), 0)
	switch triage.ErrorCode(err) {
	case "":
		return &rep, nil
	case triage.ENOTFOUND, triage.EUNAVAILABLE:
		return nil, nil
	}
	return nil, err
}

func (s *Server) promoteModelAction(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		_, err = s.svc.PromoteModelShadow(r.Context(), principal(r), id, strings.TrimSpace(r.PostFormValue("reason")))
	}
	s.afterPolicyAction(w, r, err, "model-promoted")
}

func (s *Server) discardModelAction(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = s.svc.DiscardModelShadow(r.Context(), principal(r), id, strings.TrimSpace(r.PostFormValue("reason")))
	}
	s.afterPolicyAction(w, r, err, "model-discarded")
}

// interval formats an estimate with its 95% interval, or a dash when
// there is none.
func interval(i *triage.Interval) string {
	if i == nil {
		return "—"
	}
	return fmt.Sprintf("%.3f [%.3f, %.3f]", i.Value, i.Low, i.High)
}

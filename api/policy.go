package api

import (
	"net/http"
	"strconv"

	"github.com/billtriage/billtriage/triage"
)

// maxPolicyBytes bounds PUT /v1/policy: a policy is a few KB.
const maxPolicyBytes = 1 << 20

// maxReasonBytes bounds the body of a rollback, promotion or discard: a
// reason.
const maxReasonBytes = 16 << 10

// maxVersionsListed bounds GET /v1/policy/versions.
const maxVersionsListed = 200

func (s *Server) getPolicy(w http.ResponseWriter, _ *http.Request) {
	p := s.svc.Policy()
	writeJSON(w, http.StatusOK, map[string]any{"version": p.Version(), "policy": p})
}

// putPolicy replaces the policy in force; the service allows it to admins
// with a fresh preview of the same policy (?preview_id=, and ?reason=).
func (s *Server) putPolicy(w http.ResponseWriter, r *http.Request) {
	pol, err := s.svc.ChangePolicy(r.Context(), principal(r), http.MaxBytesReader(w, r.Body, maxPolicyBytes), changeRequest(r))
	if err != nil {
		s.fail(w, r, tooLarge(err))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"version": pol.Version(), "policy": pol})
}

// changeRequest reads ?preview_id= and ?reason=.
func changeRequest(r *http.Request) triage.ChangeRequest {
	q := r.URL.Query()
	return triage.ChangeRequest{Reason: q.Get("reason"), PreviewID: previewID(q.Get("preview_id"))}
}

// previewID reads a preview id: 0 when absent, which the service refuses
// as no preview, and -1 when not an id, which it refuses as invalid, both
// naming preview_id after checking the caller's rights.
func previewID(v string) int64 {
	if v == "" {
		return 0
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 1 {
		return -1
	}
	return id
}

// postPreview replays the last ?since= (default 30d) under the policy in
// the body and stores the result.
func (s *Server) postPreview(w http.ResponseWriter, r *http.Request) {
	pv, err := s.svc.PreviewPolicy(r.Context(), principal(r), http.MaxBytesReader(w, r.Body, maxPolicyBytes), r.URL.Query().Get("since"))
	if err != nil {
		s.fail(w, r, tooLarge(err))
		return
	}
	w.Header().Set("Location", "/v1/policy/previews/"+strconv.FormatInt(pv.ID, 10))
	writeJSON(w, http.StatusCreated, pv)
}

func (s *Server) getPreview(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	var pv triage.Preview
	if err == nil {
		pv, err = s.svc.PolicyPreview(r.Context(), principal(r), id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, pv)
}

func (s *Server) getPolicyVersions(w http.ResponseWriter, r *http.Request) {
	vs, err := s.svc.PolicyVersions(r.Context(), principal(r), maxVersionsListed)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"versions": vs})
}

func (s *Server) getPolicyVersion(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	var v triage.PolicyVersionDetail
	if err == nil {
		v, err = s.svc.PolicyVersionDetail(r.Context(), principal(r), id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// reasonInput is the body of a rollback, promotion or discard.
type reasonInput struct {
	Reason string `json:"reason"`
}

// idAndReason reads the path's id and the optional {"reason": ...} body.
// queryID reads an optional ?id= (0 when absent): the shadow reports
// answer for the running shadow, or for the one it names.
func queryID(r *http.Request) (int64, error) {
	v := r.URL.Query().Get("id")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 {
		return 0, triage.Invalid("id", "must be a positive integer")
	}
	return n, nil
}

func idAndReason(w http.ResponseWriter, r *http.Request) (int64, string, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, "", err
	}
	var in reasonInput
	if r.ContentLength != 0 {
		if err := decode(w, r, maxReasonBytes, &in); err != nil {
			return 0, "", err
		}
	}
	return id, in.Reason, nil
}

func (s *Server) rollbackPolicy(w http.ResponseWriter, r *http.Request) {
	id, reason, err := idAndReason(w, r)
	var v triage.PolicyVersion
	if err == nil {
		v, err = s.svc.RollbackPolicy(r.Context(), principal(r), id, reason)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// postShadow starts the policy in the body in shadow (?preview_id=,
// ?reason=).
func (s *Server) postShadow(w http.ResponseWriter, r *http.Request) {
	sh, err := s.svc.StartShadow(r.Context(), principal(r), http.MaxBytesReader(w, r.Body, maxPolicyBytes), changeRequest(r))
	if err != nil {
		s.fail(w, r, tooLarge(err))
		return
	}
	writeJSON(w, http.StatusCreated, sh)
}

// getShadow reports on the running shadow, or on ?id=.
func (s *Server) getShadow(w http.ResponseWriter, r *http.Request) {
	id, err := queryID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rep, err := s.svc.ShadowReport(r.Context(), principal(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

func (s *Server) promoteShadow(w http.ResponseWriter, r *http.Request) {
	id, reason, err := idAndReason(w, r)
	var v triage.PolicyVersion
	if err == nil {
		v, err = s.svc.PromoteShadow(r.Context(), principal(r), id, reason)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) discardShadow(w http.ResponseWriter, r *http.Request) {
	id, reason, err := idAndReason(w, r)
	if err == nil {
		err = s.svc.DiscardShadow(r.Context(), principal(r), id, reason)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

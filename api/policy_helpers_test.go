package api_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/billtriage/billtriage/triage"
)

// putPolicy activates body over HTTP the governed way: a preview of it,
// then PUT /v1/policy naming the preview. It returns the PUT's answer.
func (f *fixture) putPolicy(t *testing.T, body string) (int, map[string]any) {
	t.Helper()
	status, pv := f.do(t, "POST", "/v1/policy/preview?since=7d", body)
	if status != http.StatusCreated {
		return status, pv
	}
	return f.do(t, "PUT", fmt.Sprintf("/v1/policy?preview_id=%d&reason=test", int64(pv["id"].(float64))), body)
}

// activatePolicy puts pol in force through the service: a preview, then
// the change naming it.
func activatePolicy(t *testing.T, svc *triage.Service, pol *triage.Policy) {
	t.Helper()
	ctx, sys := context.Background(), triage.System("test")
	pv, err := svc.PreviewPolicy(ctx, sys, bytes.NewReader(pol.MarshalIndented()), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ChangePolicy(ctx, sys, bytes.NewReader(pol.MarshalIndented()), triage.ChangeRequest{PreviewID: pv.ID, Reason: "test"}); err != nil {
		t.Fatal(err)
	}
}

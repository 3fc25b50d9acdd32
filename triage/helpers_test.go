package triage_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/billtriage/billtriage/triage"
)

func timeNow() time.Time  { return time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC) }
func zeroTime() time.Time { return time.Time{} }

// admin is the principal the tests act as: it works every queue.
var admin = triage.Principal{KeyID: 1, Name: "ana", Role: triage.RoleAdmin}

// activate puts pol in force the governed way: a preview of it, then the
// change naming the preview.
func activate(t *testing.T, svc *triage.Service, pol *triage.Policy) {
	t.Helper()
	ctx := context.Background()
	pv, err := svc.PreviewPolicy(ctx, admin, bytes.NewReader(pol.MarshalIndented()), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ChangePolicy(ctx, admin, bytes.NewReader(pol.MarshalIndented()), triage.ChangeRequest{PreviewID: pv.ID, Reason: "test"}); err != nil {
		t.Fatal(err)
	}
}

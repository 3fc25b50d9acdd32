package triage_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/triage"
)

var (
	fay = triage.Principal{KeyID: 4, Name: "fay", Role: triage.RoleFinance}
	fin = triage.Principal{KeyID: 5, Name: "finn", Role: triage.RoleFinance}
)

// clear is a text the test history explains, so it is auto-enriched.
const clear = "NetSuite posting rejected: GL account mapping missing for SKU PLAN-99 in entity US01"

func hasAudit(entries []triage.AuditEntry, action string) *triage.AuditEntry {
	for i := range entries {
		if entries[i].Action == action {
			return &entries[i]
		}
	}
	return nil
}

func TestClaimAssignAndRelease(t *testing.T) {
	svc, _ := setup(t)
	ctx := context.Background()
	id := submitOne(t, svc, "c1", vague("c1").Text).Exception.ID

	ex, err := svc.Claim(ctx, fay, id)
	if err != nil || ex.Assignee != "fay" {
		t.Fatalf("claim: %+v, %v", ex, err)
	}
	if _, err := svc.Claim(ctx, fay, id); err != nil {
		t.Errorf("claiming one's own item again: %v", err)
	}
	if _, err := svc.Claim(ctx, fin, id); triage.ErrorCode(err) != triage.ECONFLICT || !strings.Contains(err.Error(), "fay") {
		t.Errorf("claiming fay's item: %v, want a conflict naming fay", err)
	}
	if _, err := svc.Assign(ctx, fin, id, "finn"); triage.ErrorCode(err) != triage.EFORBIDDEN {
		t.Errorf("a team member assigning: %v, want forbidden", err)
	}
	if ex, err = svc.Assign(ctx, admin, id, "finn"); err != nil || ex.Assignee != "finn" {
		t.Fatalf("lead assigns: %+v, %v", ex, err)
	}
	if ex, err = svc.Assign(ctx, fin, id, ""); err != nil || ex.Assignee != "" {
		t.Fatalf("self-release: %+v, %v", ex, err)
	}
	d, err := svc.Exception(ctx, admin, id)
	if err != nil || d.Exception.Assignee != "" {
		t.Fatalf("stored: %+v, %v", d.Exception, err)
	}
	var hows []string
	for _, a := range d.Audit {
		if a.Action == triage.AuditAssigned {
			hows = append(hows, a.Detail["how"].(string)+":"+a.Detail["to"].(string))
		}
	}
	if got := strings.Join(hows, " "); got != "claim:fay assign:finn release:" {
		t.Errorf("audit of assignments: %q", got)
	}

	// A reassignment to another team releases the item: the new team picks.
	if _, err := svc.Claim(ctx, fay, id); err != nil {
		t.Fatal(err)
	}
	if ex, err = svc.Reassign(ctx, admin, id, triage.QueueTax, ""); err != nil || ex.Assignee != "" {
		t.Errorf("reassigned: %+v, %v", ex, err)
	}
}

func TestWorkbenchInputIsValidated(t *testing.T) {
	svc, _ := setup(t)
	ctx := context.Background()
	id := submitOne(t, svc, "v1", vague("v1").Text).Exception.ID
	for _, tc := range []struct {
		name, field string
		call        func() error
	}{
		{"assignee with a newline", "assignee", func() error { _, err := svc.Assign(ctx, admin, id, "a\nb"); return err }},
		{"assignee too long", "assignee", func() error { _, err := svc.Assign(ctx, admin, id, strings.Repeat("a", 101)); return err }},
		{"empty comment", "body", func() error { _, err := svc.AddComment(ctx, admin, id, "  "); return err }},
		{"comment too long", "body", func() error {
			_, err := svc.AddComment(ctx, admin, id, strings.Repeat("x", triage.MaxCommentBytes+1))
			return err
		}},
		{"bulk op", "op", func() error {
			_, err := svc.Bulk(ctx, admin, triage.BulkRequest{Op: "delete", IDs: []int64{id}})
			return err
		}},
		{"bulk no ids", "ids", func() error { _, err := svc.Bulk(ctx, admin, triage.BulkRequest{Op: triage.BulkReject}); return err }},
		{"bulk repeated id", "ids[1]", func() error {
			_, err := svc.PlanBulk(ctx, admin, triage.BulkRequest{Op: triage.BulkReject, IDs: []int64{id, id}})
			return err
		}},
		{"bulk queue", "queue", func() error {
			_, err := svc.Bulk(ctx, admin, triage.BulkRequest{Op: triage.BulkReassign, IDs: []int64{id}, Queue: "legal"})
			return err
		}},
		{"auto type", "type", func() error { _, err := svc.AutoEnriched(ctx, admin, triage.AutoQuery{Type: "x"}); return err }},
		{"auto dates", "to", func() error {
			now := time.Now()
			_, err := svc.AutoEnriched(ctx, admin, triage.AutoQuery{From: now, To: now.Add(-time.Hour)})
			return err
		}},
		{"auto limit", "limit", func() error { _, err := svc.AutoEnriched(ctx, admin, triage.AutoQuery{Limit: 501}); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if triage.ErrorCode(err) != triage.EINVALID || triage.ErrorField(err) != tc.field {
				t.Errorf("got %v (field %q), want invalid %s", err, triage.ErrorField(err), tc.field)
			}
		})
	}
}

func TestCommentsAreAuditedInTimeOrder(t *testing.T) {
	svc, _ := setup(t)
	ctx := context.Background()
	id := submitOne(t, svc, "k1", vague("k1").Text).Exception.ID
	for _, body := range []string{"first", "second"} {
		if _, err := svc.AddComment(ctx, fay, id, body); err != nil {
			t.Fatal(err)
		}
	}
	d, err := svc.Exception(ctx, triage.Principal{Name: "al", Role: triage.RoleAnalyst}, id)
	if err != nil || len(d.Comments) != 2 || d.Comments[0].Body != "first" || d.Comments[1].Author != "finance:fay" {
		t.Fatalf("comments %+v, %v", d.Comments, err)
	}
	if a := hasAudit(d.Audit, triage.AuditCommented); a == nil || a.Detail["body"] != "first" || a.Detail["comment_id"] == nil {
		t.Errorf("audit row %+v", a)
	}
}

// TestEditedResolutionIsWhatTheDetailShows: after an edit, the detail
// holds the resolution as stored, and the audit row its parameters.
func TestEditedResolutionIsWhatTheDetailShows(t *testing.T) {
	svc, _ := setup(t)
	ctx := context.Background()
	id := submitOne(t, svc, "r1", vague("r1").Text).Exception.ID
	in := triage.ResolutionInput{Verdict: triage.VerdictEdit, RootCause: "missing_customer", Action: "create_customer",
		Params: map[string]any{"customer_id": "CUST-9"}}
	if _, _, err := svc.Resolve(ctx, fay, id, in); err != nil {
		t.Fatal(err)
	}
	d, err := svc.Exception(ctx, fay, id)
	if err != nil || d.Resolution == nil {
		t.Fatalf("detail %+v, %v", d, err)
	}
	if r := d.Resolution; r.Action != "create_customer" || r.Params["customer_id"] != "CUST-9" || r.Verdict != triage.VerdictEdit || r.ResolvedBy != "finance:fay" {
		t.Errorf("stored resolution %+v", r)
	}
	a := hasAudit(d.Audit, triage.AuditResolved)
	if a == nil {
		t.Fatal("no resolved audit row")
	}
	if p, _ := a.Detail["params"].(map[string]any); p["customer_id"] != "CUST-9" {
		t.Errorf("audit detail %+v", a.Detail)
	}
}

func TestBulkReportsEachItemAndAppliesEachWhole(t *testing.T) {
	svc, _ := setup(t)
	ctx := context.Background()
	open := submitOne(t, svc, "b1", vague("b1").Text).Exception.ID
	closed := submitOne(t, svc, "b2", vague("b2").Text).Exception.ID
	taxed := submitOne(t, svc, "b3", vague("b3").Text).Exception.ID
	if _, _, err := svc.Resolve(ctx, admin, closed, triage.ResolutionInput{Verdict: triage.VerdictReject}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Reassign(ctx, admin, taxed, triage.QueueTax, ""); err != nil {
		t.Fatal(err)
	}
	req := triage.BulkRequest{Op: triage.BulkReassign, IDs: []int64{open, closed, taxed, 999999}, Queue: triage.QueueRevOps}
	plan, err := svc.PlanBulk(ctx, fay, req)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		ok   bool
		code string
		seen bool
	}{{true, "", true}, {false, triage.ECONFLICT, true}, {false, triage.EFORBIDDEN, false}, {false, triage.ENOTFOUND, false}}
	check := func(stage string, items []triage.BulkItem) {
		t.Helper()
		for i, w := range want {
			it := items[i]
			code := ""
			if it.Error != nil {
				code = it.Error.Code
			}
			if it.ID != req.IDs[i] || it.OK != w.ok || code != w.code || (it.Exception != nil) != w.seen || it.Summary == "" {
				t.Errorf("%s item %d: %+v", stage, i, it)
			}
		}
	}
	check("plan", plan)
	if d, _ := svc.Exception(ctx, admin, open); d.Exception.Queue != triage.QueueFinance {
		t.Fatalf("the plan moved the item to %s", d.Exception.Queue)
	}
	done, err := svc.Bulk(ctx, fay, req)
	if err != nil {
		t.Fatal(err)
	}
	check("bulk", done)
	if d, _ := svc.Exception(ctx, admin, open); d.Exception.Queue != triage.QueueRevOps {
		t.Errorf("moved item in %s", d.Exception.Queue)
	}
	if d, _ := svc.Exception(ctx, admin, taxed); d.Exception.Queue != triage.QueueTax || len(d.Audit) != 3 {
		t.Errorf("the refused item changed: %+v, %d audit rows", d.Exception, len(d.Audit))
	}
}

func TestBulkAcceptResolvesWithTheSuggestion(t *testing.T) {
	svc, _ := setup(t)
	ctx := context.Background()
	sub := submitOne(t, svc, "a1", clear)
	items, err := svc.Bulk(ctx, fay, triage.BulkRequest{Op: triage.BulkAccept, IDs: []int64{sub.Exception.ID}})
	if err != nil || !items[0].OK || items[0].Action != sub.Decision.Action || items[0].Exception.Status != triage.StatusResolved {
		t.Fatalf("%+v, %v", items, err)
	}
}

func TestAutoEnrichedListsFiltersAndShowsReverts(t *testing.T) {
	svc, _ := setup(t)
	ctx := context.Background()
	auto := submitOne(t, svc, "e1", clear)
	if auto.Exception.Status != triage.StatusAutoEnriched {
		t.Fatalf("fixture: %s", auto.Exception.Status)
	}
	submitOne(t, svc, "q1", vague("q1").Text) // queued: not listed
	decided := auto.Decision.DecidedAt
	for _, tc := range []struct {
		name string
		q    triage.AutoQuery
		n    int
	}{
		{"all", triage.AutoQuery{}, 1},
		{"type", triage.AutoQuery{Type: triage.ERPPostingFailure}, 1},
		{"other type", triage.AutoQuery{Type: triage.TaxInconsistency}, 0},
		{"action", triage.AutoQuery{Action: auto.Decision.Action}, 1},
		{"other action", triage.AutoQuery{Action: "retry_posting"}, 0},
		{"from", triage.AutoQuery{From: decided}, 1},
		{"to", triage.AutoQuery{To: decided}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			items, err := svc.AutoEnriched(ctx, admin, tc.q)
			if err != nil || len(items) != tc.n {
				t.Fatalf("%d items, %v", len(items), err)
			}
			if tc.n == 1 && (!items[0].Revertible || items[0].Reverted || items[0].Action != auto.Decision.Action) {
				t.Errorf("%+v", items[0])
			}
		})
	}
	if _, err := svc.Revert(ctx, fay, auto.Exception.ID, "wrong GL account"); err != nil {
		t.Fatal(err)
	}
	items, err := svc.AutoEnriched(ctx, admin, triage.AutoQuery{})
	if err != nil || len(items) != 1 || !items[0].Reverted || items[0].Revertible {
		t.Errorf("after revert: %+v, %v", items, err)
	}
}

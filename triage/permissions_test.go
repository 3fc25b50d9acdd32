package triage_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// call is one service method acted out by p on a fresh item of the
// finance queue (auto-enriched for revert, queued otherwise).
type call struct {
	name    string
	auto    bool
	allowed []triage.Role
	do      func(ctx context.Context, svc *triage.Service, p triage.Principal, id int64, ext string) error
}

var (
	readers = []triage.Role{triage.RoleAdmin, triage.RoleAnalyst, triage.RoleFinance}
	workers = []triage.Role{triage.RoleAdmin, triage.RoleFinance}
	admins  = []triage.Role{triage.RoleAdmin}
)

var calls = []call{
	{name: "Exception", allowed: readers, do: func(ctx context.Context, svc *triage.Service, p triage.Principal, id int64, _ string) error {
		d, err := svc.Exception(ctx, p, id)
		if err == nil && (d.Exception.ID != id || d.Decision == nil || len(d.Audit) == 0) {
			return fmt.Errorf("incomplete detail %+v", d)
		}
		return err
	}},
	{name: "Queue", allowed: readers, do: func(ctx context.Context, svc *triage.Service, p triage.Principal, id int64, _ string) error {
		page, err := svc.Queue(ctx, p, triage.QueueQuery{Queue: triage.QueueFinance})
		if err == nil && !slices.ContainsFunc(page.Items, func(it triage.QueueItem) bool { return it.ID == id && it.Priority > 0 }) {
			return fmt.Errorf("item %d missing or unprioritised in %+v", id, page.Items)
		}
		return err
	}},
	{name: "Submit new", allowed: []triage.Role{triage.RoleAdmin, triage.RoleFinance, triage.RoleRevOps, triage.RoleTax, triage.RoleSupport, triage.RoleIntegration},
		do: func(ctx context.Context, svc *triage.Service, p triage.Principal, _ int64, ext string) error {
			_, err := svc.Submit(ctx, p, []triage.Exception{vague("new-" + ext)})
			return err
		}},
	{name: "Submit repeat", allowed: workers, do: func(ctx context.Context, svc *triage.Service, p triage.Principal, id int64, ext string) error {
		subs, err := svc.Submit(ctx, p, []triage.Exception{vague(ext)})
		if err == nil && (subs[0].Created || subs[0].Exception.ID != id) {
			return fmt.Errorf("repeat was not idempotent: %+v", subs[0])
		}
		return err
	}},
	{name: "Resolve", allowed: workers, do: func(ctx context.Context, svc *triage.Service, p triage.Principal, id int64, _ string) error {
		_, _, err := svc.Resolve(ctx, p, id, triage.ResolutionInput{Verdict: triage.VerdictReject})
		return err
	}},
	{name: "Reassign", allowed: workers, do: func(ctx context.Context, svc *triage.Service, p triage.Principal, id int64, _ string) error {
		_, err := svc.Reassign(ctx, p, id, triage.QueueTax, "")
		return err
	}},
	{name: "ChangePolicy", allowed: admins, do: func(ctx context.Context, svc *triage.Service, p triage.Principal, _ int64, _ string) error {
		_, err := svc.ChangePolicy(ctx, p, bytes.NewReader(triage.DefaultPolicy().MarshalIndented()), triage.ChangeRequest{})
		return err
	}},
	{name: "PreviewPolicy", allowed: admins, do: func(ctx context.Context, svc *triage.Service, p triage.Principal, _ int64, _ string) error {
		pv, err := svc.PreviewPolicy(ctx, p, bytes.NewReader(triage.DefaultPolicy().MarshalIndented()), "7d")
		if err == nil && (pv.ID == 0 || pv.Result.Items == 0) {
			return fmt.Errorf("a preview that replayed nothing: %+v", pv)
		}
		return err
	}},
	{name: "PolicyVersions", allowed: []triage.Role{triage.RoleAdmin, triage.RoleAnalyst},
		do: func(ctx context.Context, svc *triage.Service, p triage.Principal, _ int64, _ string) error {
			_, err := svc.PolicyVersions(ctx, p, 10)
			return err
		}},
	{name: "RollbackPolicy", allowed: admins, do: func(ctx context.Context, svc *triage.Service, p triage.Principal, _ int64, _ string) error {
		_, err := svc.RollbackPolicy(ctx, p, 999999, "")
		if triage.ErrorCode(err) == triage.ENOTFOUND {
			return nil // past the role check: there is no such version
		}
		return err
	}},
	{name: "StartShadow", allowed: admins, do: func(ctx context.Context, svc *triage.Service, p triage.Principal, _ int64, _ string) error {
		pol := triage.DefaultPolicy()
		pol.DefaultThreshold = 0.9
		_, err := svc.StartShadow(ctx, p, bytes.NewReader(pol.MarshalIndented()), triage.ChangeRequest{})
		if triage.ErrorField(err) == "preview_id" {
			return nil // past the role check: there is no preview
		}
		return err
	}},
	{name: "ShadowReport", allowed: []triage.Role{triage.RoleAdmin, triage.RoleAnalyst},
		do: func(ctx context.Context, svc *triage.Service, p triage.Principal, _ int64, _ string) error {
			_, err := svc.ShadowReport(ctx, p, 0)
			if triage.ErrorCode(err) == triage.ENOTFOUND {
				return nil // past the role check: no shadow runs
			}
			return err
		}},
	{name: "PromoteShadow", allowed: admins, do: func(ctx context.Context, svc *triage.Service, p triage.Principal, _ int64, _ string) error {
		_, err := svc.PromoteShadow(ctx, p, 999999, "")
		if triage.ErrorCode(err) == triage.ENOTFOUND {
			return nil
		}
		return err
	}},
	{name: "DiscardShadow", allowed: admins, do: func(ctx context.Context, svc *triage.Service, p triage.Principal, _ int64, _ string) error {
		err := svc.DiscardShadow(ctx, p, 999999, "")
		if triage.ErrorCode(err) == triage.ENOTFOUND {
			return nil
		}
		return err
	}},
	{name: "Models", allowed: triage.Roles, do: func(ctx context.Context, svc *triage.Service, p triage.Principal, _ int64, _ string) error {
		_, err := svc.Models(ctx, p)
		return err
	}},
	{name: "ActivateModel", allowed: admins, do: func(ctx context.Context, svc *triage.Service, p triage.Principal, _ int64, _ string) error {
		err := svc.ActivateModel(ctx, p, "risk-none")
		if triage.ErrorCode(err) == triage.ENOTFOUND {
			return nil // past the role check: there is no such model
		}
		return err
	}},
	{name: "StartModelShadow", allowed: admins, do: func(ctx context.Context, svc *triage.Service, p triage.Principal, _ int64, _ string) error {
		_, err := svc.StartModelShadow(ctx, p, "risk-none", "")
		if triage.ErrorCode(err) == triage.ENOTFOUND {
			return nil // past the role check: there is no such model
		}
		return err
	}},
	{name: "ModelShadowReport", allowed: []triage.Role{triage.RoleAdmin, triage.RoleAnalyst},
		do: func(ctx context.Context, svc *triage.Service, p triage.Principal, _ int64, _ string) error {
			_, err := svc.ModelShadowReport(ctx, p, 0)
			if triage.ErrorCode(err) == triage.ENOTFOUND {
				return nil // past the role check: no shadow runs
			}
			return err
		}},
	{name: "PromoteModelShadow", allowed: admins, do: func(ctx context.Context, svc *triage.Service, p triage.Principal, _ int64, _ string) error {
		_, err := svc.PromoteModelShadow(ctx, p, 999999, "")
		if triage.ErrorCode(err) == triage.ENOTFOUND {
			return nil
		}
		return err
	}},
	{name: "DiscardModelShadow", allowed: admins, do: func(ctx context.Context, svc *triage.Service, p triage.Principal, _ int64, _ string) error {
		err := svc.DiscardModelShadow(ctx, p, 999999, "")
		if triage.ErrorCode(err) == triage.ENOTFOUND {
			return nil
		}
		return err
	}},
	{name: "ClassifierVersions", allowed: []triage.Role{triage.RoleAdmin, triage.RoleAnalyst},
		do: func(ctx context.Context, svc *triage.Service, p triage.Principal, _ int64, _ string) error {
			_, err := svc.ClassifierVersions(ctx, p)
			return err
		}},
	{name: "StartClassifierShadow", allowed: admins, do: func(ctx context.Context, svc *triage.Service, p triage.Principal, _ int64, _ string) error {
		_, err := svc.StartClassifierShadow(ctx, p, triage.ERPPostingFailure, 999999, "")
		if triage.ErrorCode(err) == triage.ENOTFOUND {
			return nil // past the role check: there is no such version
		}
		return err
	}},
	{name: "ClassifierShadowReport", allowed: []triage.Role{triage.RoleAdmin, triage.RoleAnalyst},
		do: func(ctx context.Context, svc *triage.Service, p triage.Principal, _ int64, _ string) error {
			_, err := svc.ClassifierShadowReport(ctx, p, 0)
			if triage.ErrorCode(err) == triage.ENOTFOUND {
				return nil // past the role check: no shadow runs
			}
			return err
		}},
	{name: "PromoteClassifierShadow", allowed: admins, do: func(ctx context.Context, svc *triage.Service, p triage.Principal, _ int64, _ string) error {
		_, err := svc.PromoteClassifierShadow(ctx, p, 999999, "")
		if triage.ErrorCode(err) == triage.ENOTFOUND {
			return nil
		}
		return err
	}},
	{name: "DiscardClassifierShadow", allowed: admins, do: func(ctx context.Context, svc *triage.Service, p triage.Principal, _ int64, _ string) error {
		err := svc.DiscardClassifierShadow(ctx, p, 999999, "")
		if triage.ErrorCode(err) == triage.ENOTFOUND {
			return nil
		}
		return err
	}},
	{name: "CheckInvoices", allowed: []triage.Role{triage.RoleAdmin, triage.RoleFinance, triage.RoleRevOps, triage.RoleTax, triage.RoleSupport, triage.RoleIntegration},
		do: func(ctx context.Context, svc *triage.Service, p triage.Principal, _ int64, ext string) error {
			d := triage.Draft{ID: "d-" + ext, CustomerID: "c", Entity: "e", Currency: "EUR", Period: "2026-01", Lines: []triage.DraftLine{{SKU: "s"}}}
			_, err := svc.CheckInvoices(ctx, p, []triage.Draft{d})
			if triage.ErrorCode(err) == triage.EUNAVAILABLE {
				return nil // past the role check: no check history is configured here
			}
			return err
		}},
	{name: "DriftFindings", allowed: []triage.Role{triage.RoleAdmin, triage.RoleAnalyst, triage.RoleRevOps},
		do: func(ctx context.Context, svc *triage.Service, p triage.Principal, _ int64, _ string) error {
			_, err := svc.DriftFindings(ctx, p, 30)
			if triage.ErrorCode(err) == triage.EUNAVAILABLE {
				return nil // past the role check: no drift store is configured here
			}
			return err
		}},
	{name: "ReportPosting", allowed: []triage.Role{triage.RoleAdmin, triage.RoleIntegration},
		do: func(ctx context.Context, svc *triage.Service, p triage.Principal, _ int64, ext string) error {
			rep, err := svc.ReportPosting(ctx, p, triage.Posting{ID: "po-" + ext, InvoiceID: "INV-1", Status: triage.PostingFailed,
				Error: "Customer not found in Dynamics", ERP: "dynamics"})
			if err == nil && (rep.Submission == nil || !rep.Submission.Created) {
				return fmt.Errorf("a failed posting raised no exception: %+v", rep)
			}
			return err
		}},
	{name: "Endpoints", allowed: admins, do: func(ctx context.Context, svc *triage.Service, p triage.Principal, _ int64, _ string) error {
		_, err := svc.Endpoints(ctx, p)
		return err
	}},
	{name: "Deliveries", allowed: []triage.Role{triage.RoleAdmin, triage.RoleAnalyst},
		do: func(ctx context.Context, svc *triage.Service, p triage.Principal, _ int64, _ string) error {
			_, err := svc.Deliveries(ctx, p, triage.DeliveryDead, 10)
			return err
		}},
	{name: "Redeliver", allowed: admins, do: func(ctx context.Context, svc *triage.Service, p triage.Principal, _ int64, _ string) error {
		_, err := svc.Redeliver(ctx, p, 999999)
		if triage.ErrorCode(err) == triage.ENOTFOUND {
			return nil // past the role check: there is no such delivery
		}
		return err
	}},
	{name: "Alerts", allowed: triage.Roles, do: func(ctx context.Context, svc *triage.Service, p triage.Principal, _ int64, _ string) error {
		_, err := svc.Alerts(ctx, p, "", 10)
		return err
	}},
	{name: "Automation", allowed: triage.Roles, do: func(ctx context.Context, svc *triage.Service, p triage.Principal, _ int64, _ string) error {
		_, err := svc.Automation(ctx, p)
		return err
	}},
	{name: "AlarmMeasures", allowed: triage.Roles, do: func(ctx context.Context, svc *triage.Service, p triage.Principal, _ int64, _ string) error {
		_, err := svc.AlarmMeasures(ctx, p, 4)
		return err
	}},
	// The rights come first: an admin gets past them to find no such
	// alert, and no pause to resume; anyone else is refused before.
	{name: "AcknowledgeAlert", allowed: admins, do: func(ctx context.Context, svc *triage.Service, p triage.Principal, _ int64, _ string) error {
		_, err := svc.AcknowledgeAlert(ctx, p, 1<<40)
		return pastRights(err, triage.ENOTFOUND)
	}},
	{name: "ResumeAlert", allowed: admins, do: func(ctx context.Context, svc *triage.Service, p triage.Principal, _ int64, _ string) error {
		_, err := svc.ResumeAlert(ctx, p, 1<<40)
		return pastRights(err, triage.ENOTFOUND)
	}},
	{name: "ResumeAutomation", allowed: admins, do: func(ctx context.Context, svc *triage.Service, p triage.Principal, _ int64, _ string) error {
		_, err := svc.ResumeAutomation(ctx, p, triage.Other)
		return pastRights(err, triage.ECONFLICT)
	}},
	{name: "Claim", allowed: workers, do: func(ctx context.Context, svc *triage.Service, p triage.Principal, id int64, _ string) error {
		ex, err := svc.Claim(ctx, p, id)
		if err == nil && ex.Assignee != p.Name {
			return fmt.Errorf("claimed item has assignee %q", ex.Assignee)
		}
		return err
	}},
	{name: "Assign", allowed: admins, do: func(ctx context.Context, svc *triage.Service, p triage.Principal, id int64, _ string) error {
		_, err := svc.Assign(ctx, p, id, "fay")
		return err
	}},
	{name: "AddComment", allowed: workers, do: func(ctx context.Context, svc *triage.Service, p triage.Principal, id int64, _ string) error {
		_, err := svc.AddComment(ctx, p, id, "called the customer")
		return err
	}},
	{name: "Comments", allowed: readers, do: func(ctx context.Context, svc *triage.Service, p triage.Principal, id int64, _ string) error {
		_, err := svc.Comments(ctx, p, id)
		return err
	}},
	{name: "Related", allowed: readers, do: func(ctx context.Context, svc *triage.Service, p triage.Principal, id int64, _ string) error {
		_, err := svc.Related(ctx, p, id)
		return err
	}},
	{name: "PlanBulk", allowed: workers, do: func(ctx context.Context, svc *triage.Service, p triage.Principal, id int64, _ string) error {
		items, err := svc.PlanBulk(ctx, p, triage.BulkRequest{Op: triage.BulkReject, IDs: []int64{id}})
		return bulkErr(items, err)
	}},
	{name: "Bulk", allowed: workers, do: func(ctx context.Context, svc *triage.Service, p triage.Principal, id int64, _ string) error {
		items, err := svc.Bulk(ctx, p, triage.BulkRequest{Op: triage.BulkReject, IDs: []int64{id}})
		return bulkErr(items, err)
	}},
	// Patterns span every queue: every role that reads one lists them
	// (members are then filtered by queue); the integration reads none.
	{name: "Patterns", allowed: []triage.Role{triage.RoleAdmin, triage.RoleFinance, triage.RoleRevOps, triage.RoleTax, triage.RoleSupport, triage.RoleAnalyst},
		do: func(ctx context.Context, svc *triage.Service, p triage.Principal, _ int64, _ string) error {
			if _, err := svc.DetectPatterns(ctx, triage.PatternConfig{}); err != nil {
				return fmt.Errorf("detect: %w", err)
			}
			run, _, err := svc.Patterns(ctx, p, triage.PatternQuery{})
			if err == nil && run.ID == 0 {
				return fmt.Errorf("no run listed")
			}
			return err
		}},
	// Every role that sees a queue lists its automatic decisions; the
	// integration sees none.
	{name: "AutoEnriched", auto: true, allowed: []triage.Role{triage.RoleAdmin, triage.RoleFinance, triage.RoleRevOps, triage.RoleTax, triage.RoleSupport, triage.RoleAnalyst},
		do: func(ctx context.Context, svc *triage.Service, p triage.Principal, id int64, _ string) error {
			items, err := svc.AutoEnriched(ctx, p, triage.AutoQuery{})
			seen := slices.ContainsFunc(items, func(it triage.AutoItem) bool { return it.Exception.ID == id })
			if err == nil && seen != p.CanSee(triage.QueueFinance) {
				return fmt.Errorf("role %s: finance item listed %v", p.Role, seen)
			}
			return err
		}},
	{name: "Revert", auto: true, allowed: workers, do: func(ctx context.Context, svc *triage.Service, p triage.Principal, id int64, _ string) error {
		_, err := svc.Revert(ctx, p, id, "wrong mapping")
		return err
	}},
}

// bulkErr is a one-item bulk call's outcome as an error: the call's own,
// or its item's refusal with the item's code.
func bulkErr(items []triage.BulkItem, err error) error {
	if err != nil {
		return err
	}
	if len(items) != 1 {
		return fmt.Errorf("%d items for one id", len(items))
	}
	if e := items[0].Error; e != nil {
		return triage.Errorf(e.Code, "%s", e.Message)
	}
	return nil
}

// vague is an exception the test history cannot explain, so it is queued
// for finance.
func vague(ext string) triage.Exception {
	amt := 120.0
	return triage.Exception{Source: "test", ExternalID: ext, Type: triage.ERPPostingFailure, Amount: &amt, Currency: "USD",
		Text: "Customer not found in Dynamics when posting invoice INV-7781", OccurredAt: time.Date(2025, 5, 30, 0, 0, 0, 0, time.UTC)}
}

// TestEveryMethodChecksTheCaller walks every service method that reads or
// acts on an item, or administers, with every role: an allowed call succeeds, any other
// fails with EFORBIDDEN and changes nothing.
func TestEveryMethodChecksTheCaller(t *testing.T) {
	svc, _ := setup(t)
	ctx := context.Background()
	for _, c := range calls {
		for _, role := range triage.Roles {
			t.Run(c.name+"/"+string(role), func(t *testing.T) {
				ext := fmt.Sprintf("%s-%s", c.name, role)
				text := vague(ext).Text
				if c.auto {
					text = "NetSuite posting rejected: GL account mapping missing for SKU PLAN-99 in entity US01"
				}
				sub := submitOne(t, svc, ext, text)
				id, ex := sub.Exception.ID, sub.Exception
				if ex.Queue != triage.QueueFinance || (c.auto != (ex.Status == triage.StatusAutoEnriched)) {
					t.Fatalf("fixture: %s item in %s", ex.Status, ex.Queue)
				}
				p := triage.Principal{KeyID: 9, Name: "pat", Role: role}
				err := c.do(ctx, svc, p, id, ext)
				if slices.Contains(c.allowed, role) {
					if err != nil {
						t.Fatalf("allowed call failed: %v", err)
					}
					return
				}
				if triage.ErrorCode(err) != triage.EFORBIDDEN {
					t.Fatalf("got %v, want forbidden", err)
				}
				after, err := svc.Exception(ctx, admin, id)
				if err != nil || after.Exception.Status != ex.Status || after.Exception.Queue != ex.Queue || len(after.Audit) != auditLen(sub) {
					t.Errorf("a refused call changed the item: %+v, %v", after.Exception, err)
				}
			})
		}
	}
}

// pastRights is nil when err has code: the call got past the rights
// check to the store, which had nothing to act on.
func pastRights(err error, code string) error {
	if triage.ErrorCode(err) == code {
		return nil
	}
	if err == nil {
		return fmt.Errorf("acted on nothing without an error")
	}
	return err
}

// auditLen is the audit length of a freshly submitted item.
func auditLen(sub triage.Submission) int {
	if sub.Exception.Status == triage.StatusAutoEnriched {
		return 3 // received, decided, enriched
	}
	return 2 // received, decided
}

func TestRepeatOfAHiddenItemNamesTheItemAndKeepsTheRest(t *testing.T) {
	svc, _ := setup(t)
	ctx := context.Background()
	hidden := submitOne(t, svc, "fin-1", vague("fin-1").Text)
	support := triage.Principal{KeyID: 3, Name: "sam", Role: triage.RoleSupport}
	subs, err := svc.Submit(ctx, support, []triage.Exception{vague("sup-1"), vague("fin-1")})
	if triage.ErrorCode(err) != triage.EFORBIDDEN || triage.ErrorField(err) != "exceptions[1].id" || subs != nil {
		t.Fatalf("got %v (field %q), %d results", err, triage.ErrorField(err), len(subs))
	}
	page, err := svc.Queue(ctx, admin, triage.QueueQuery{Queue: triage.QueueFinance})
	if err != nil || len(page.Items) != 2 {
		t.Fatalf("the batch's other item was lost: %+v, %v", page.Items, err)
	}
	if _, err := svc.Exception(ctx, support, hidden.Exception.ID); triage.ErrorCode(err) != triage.EFORBIDDEN {
		t.Errorf("direct read: %v", err)
	}
}

func TestQueueValidatesItsQuery(t *testing.T) {
	svc, _ := setup(t)
	for _, tc := range []struct {
		q     triage.QueueQuery
		field string
	}{
		{triage.QueueQuery{Queue: "legal"}, "queue"},
		{triage.QueueQuery{Queue: triage.QueueFinance, Type: "nope"}, "type"},
		{triage.QueueQuery{Queue: triage.QueueFinance, Limit: triage.MaxQueuePage + 1}, "limit"},
		{triage.QueueQuery{Queue: triage.QueueFinance, Limit: -1}, "limit"},
	} {
		if _, err := svc.Queue(context.Background(), admin, tc.q); triage.ErrorField(err) != tc.field {
			t.Errorf("%+v: %v, want field %s", tc.q, err, tc.field)
		}
	}
}

func TestActivateModelRefusesAStaleModel(t *testing.T) {
	ctx := context.Background()
	base, st := setup(t)
	svc := triage.NewService(triage.Config{Store: st, Embedder: base.Embedder(), Models: st, FeatureHash: "features-now"})
	for _, m := range []triage.RiskModel{
		{Version: "risk-old", Family: "logistic", FeatureHash: "features-before", Body: []byte("{}")},
		{Version: "risk-new", Family: "logistic", FeatureHash: "features-now", Body: []byte("{}")},
	} {
		if err := st.SaveModel(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	if err := svc.ActivateModel(ctx, admin, "risk-old"); triage.ErrorCode(err) != triage.ECONFLICT {
		t.Errorf("a model trained on other features: %v, want conflict", err)
	}
	if err := svc.ActivateModel(ctx, admin, "risk-new"); err != nil {
		t.Fatal(err)
	}
	if v, err := st.ActiveModelVersion(ctx); err != nil || v != "risk-new" {
		t.Errorf("active %q, %v", v, err)
	}
}

// TestRightsComeBeforeInput: a caller without the right is refused before
// its input is read, so validation tells it nothing about the item.
func TestRightsComeBeforeInput(t *testing.T) {
	svc, _ := setup(t)
	ctx := context.Background()
	id := submitOne(t, svc, "rights-1", vague("rights-1").Text).Exception.ID
	support := triage.Principal{KeyID: 3, Name: "sam", Role: triage.RoleSupport}
	for name, call := range map[string]func() error{
		"resolve": func() error {
			_, _, err := svc.Resolve(ctx, support, id, triage.ResolutionInput{Verdict: "maybe"})
			return err
		},
		"reassign": func() error { _, err := svc.Reassign(ctx, support, id, "legal", ""); return err },
		"revert":   func() error { _, err := svc.Revert(ctx, support, id, ""); return err },
		"claim":    func() error { _, err := svc.Claim(ctx, support, id); return err },
		"assign":   func() error { _, err := svc.Assign(ctx, support, id, "\x00"); return err },
		"comment":  func() error { _, err := svc.AddComment(ctx, support, id, ""); return err },
		"bulk": func() error {
			_, err := svc.Bulk(ctx, triage.Principal{Name: "al", Role: triage.RoleAnalyst}, triage.BulkRequest{Op: "nope"})
			return err
		},
		"policy": func() error {
			_, err := svc.ChangePolicy(ctx, support, strings.NewReader("{"), triage.ChangeRequest{})
			return err
		},
		"preview": func() error { _, err := svc.PreviewPolicy(ctx, support, strings.NewReader("{"), "999d"); return err },
		"shadow": func() error {
			_, err := svc.StartShadow(ctx, support, strings.NewReader("{"), triage.ChangeRequest{PreviewID: -1})
			return err
		},
		"rollback": func() error { _, err := svc.RollbackPolicy(ctx, support, 1, strings.Repeat("x", 10000)); return err },
	} {
		if err := call(); triage.ErrorCode(err) != triage.EFORBIDDEN {
			t.Errorf("%s: %v, want forbidden", name, err)
		}
	}
}

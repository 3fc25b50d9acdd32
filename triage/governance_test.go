package triage_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/billtriage/billtriage/embeddings"
	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
)

// setupGoverned is setup with a clock the test moves and previews valid
// for an hour, a strict policy (threshold 0.99) in force, and items
// decided under it: clear texts of both causes, some worded unlike the
// history, so confidences spread below 0.99.
func setupGoverned(t *testing.T) (*triage.Service, *postgres.Store, *postgres.DB, *clock, []triage.Submission) {
	t.Helper()
	_, st, db := setupDB(t)
	emb, err := embeddings.NewLocal(256)
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)}
	svc := triage.NewService(triage.Config{Store: st, Embedder: emb, Policies: st, Outbox: st, Now: c.now, PreviewMaxAge: time.Hour})
	strict := triage.DefaultPolicy()
	strict.DefaultThreshold = 0.99
	activate(t, svc, strict)
	texts := []string{
		"NetSuite posting rejected: GL account mapping missing for SKU PLAN-77 in entity US01",
		"GL mapping missing in NetSuite for SKU ADDON-4, posting rejected",
		"SAP connector timeout after 30s while posting invoice batch 88, will retry",
		"posting to SAP timed out for batch 91",
		"ERP said no account for SKU Z-1 when posting",
		"NetSuite posting rejected: GL account mapping missing for SKU PLAN-78 in entity US02",
	}
	var subs []triage.Submission
	for i, text := range texts {
		subs = append(subs, submitOne(t, svc, fmt.Sprint("gov-", i), text))
	}
	return svc, st, db, c, subs
}

// TestPreviewOfALooserThresholdShowsTheItemsThatChange previews a looser
// threshold on items decided under a strict one: more automation, and
// exactly the items held only by the threshold and above the new one
// change, each with its link; people's later verdicts give precision.
func TestPreviewOfALooserThresholdShowsTheItemsThatChange(t *testing.T) {
	svc, _, _, _, subs := setupGoverned(t)
	ctx := context.Background()
	loose := triage.DefaultPolicy()
	loose.DefaultThreshold = 0.5
	var want []int64
	var recordedAuto int
	for _, s := range subs {
		d := s.Decision
		if d.Outcome == triage.OutcomeAuto {
			recordedAuto++
		}
		if slices.Equal(d.Why, []triage.Why{triage.WhyBelowThreshold}) && d.Confidence >= 0.5 {
			want = append(want, s.Exception.ID)
		}
	}
	if len(want) < 2 {
		t.Fatalf("the fixture should hold at least two items by the threshold alone, got %d: %+v", len(want), subs)
	}
	// People judge two of the items that change: one as suggested, one
	// otherwise.
	right, wrong := subs[indexOf(subs, want[0])], subs[indexOf(subs, want[1])]
	if _, _, err := svc.Resolve(ctx, admin, right.Exception.ID, triage.ResolutionInput{Verdict: triage.VerdictAccept}); err != nil {
		t.Fatal(err)
	}
	other := map[string][2]string{"missing_gl_mapping": {"erp_timeout", "retry_posting"}, "erp_timeout": {"missing_gl_mapping", "add_gl_mapping"}}[wrong.Decision.RootCause]
	if _, _, err := svc.Resolve(ctx, admin, wrong.Exception.ID, triage.ResolutionInput{Verdict: triage.VerdictEdit, RootCause: other[0], Action: other[1]}); err != nil {
		t.Fatal(err)
	}
	pv, err := svc.PreviewPolicy(ctx, admin, bytes.NewReader(loose.MarshalIndented()), "30d")
	if err != nil {
		t.Fatal(err)
	}
	tot := pv.Result.Total
	if pv.ID == 0 || pv.Version != versionOf(t, loose) || pv.Result.Items != len(subs) {
		t.Fatalf("preview %d of %s over %d items, want %s over %d", pv.ID, pv.Version, pv.Result.Items, versionOf(t, loose), len(subs))
	}
	if tot.AutoBefore != recordedAuto {
		t.Errorf("the policy in force replays to %d automatic, but %d were decided so", tot.AutoBefore, recordedAuto)
	}
	if tot.AutoAfter != recordedAuto+len(want) || tot.ShareAfter <= tot.ShareBefore {
		t.Errorf("automated %d → %d (share %.2f → %.2f), want %d more", tot.AutoBefore, tot.AutoAfter, tot.ShareBefore, tot.ShareAfter, len(want))
	}
	var got []int64
	for _, ch := range pv.Result.Changes {
		got = append(got, ch.ExceptionID)
		if ch.Before != triage.OutcomeQueue || ch.After != triage.OutcomeAuto || ch.Link != fmt.Sprintf("/ui/exceptions/%d", ch.ExceptionID) {
			t.Errorf("change %+v", ch)
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) || pv.Result.ChangesTotal != len(want) {
		t.Errorf("changed items %v (total %d), want exactly %v", got, pv.Result.ChangesTotal, want)
	}
	if tot.JudgedAfter != 2 || tot.RightAfter != 1 || tot.PrecisionAfter == nil || *tot.PrecisionAfter != 0.5 {
		t.Errorf("precision after on judged items: %d/%d (%v), want 1/2", tot.RightAfter, tot.JudgedAfter, tot.PrecisionAfter)
	}
	if tot.JudgedBefore != 0 || tot.PrecisionBefore != nil {
		t.Errorf("precision before: %d judged (%v), want none", tot.JudgedBefore, tot.PrecisionBefore)
	}
	if len(pv.Result.Diff) != 1 || pv.Result.Diff[0].Path != "default_threshold" {
		t.Errorf("diff %+v, want default_threshold alone", pv.Result.Diff)
	}
	// The preview changed nothing.
	for _, s := range subs {
		d, err := svc.Exception(ctx, admin, s.Exception.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.Decision.Outcome != s.Decision.Outcome {
			t.Errorf("item %d's decision changed to %s", s.Exception.ID, d.Decision.Outcome)
		}
	}
	stored, err := svc.PolicyPreview(ctx, admin, pv.ID)
	if err != nil || stored.Result.ChangesTotal != len(want) || stored.CreatedBy != admin.Actor() {
		t.Errorf("stored preview %+v, %v", stored, err)
	}
}

func indexOf(subs []triage.Submission, id int64) int {
	return slices.IndexFunc(subs, func(s triage.Submission) bool { return s.Exception.ID == id })
}

// TestActivationNeedsAFreshPreviewOfThatPolicy refuses a change without a
// preview, with another policy's, with an unknown one and with a stale
// one, each naming preview_id, and records the preview of the change it
// allows in the version and the audit row.
func TestActivationNeedsAFreshPreviewOfThatPolicy(t *testing.T) {
	svc, st, _, c, _ := setupGoverned(t)
	ctx := context.Background()
	cand := triage.DefaultPolicy()
	cand.DefaultThreshold = 0.7
	other := triage.DefaultPolicy()
	other.DefaultThreshold = 0.6
	preview := func(p *triage.Policy) int64 {
		pv, err := svc.PreviewPolicy(ctx, admin, bytes.NewReader(p.MarshalIndented()), "7d")
		if err != nil {
			t.Fatal(err)
		}
		return pv.ID
	}
	stale := preview(cand)
	c.add(2 * time.Hour)
	otherID := preview(other)
	before := svc.Policy().Version()
	for _, tc := range []struct {
		name string
		id   int64
	}{{"no preview", 0}, {"unknown preview", 999999}, {"another policy's preview", otherID}, {"stale preview", stale}} {
		_, err := svc.ChangePolicy(ctx, admin, bytes.NewReader(cand.MarshalIndented()), triage.ChangeRequest{PreviewID: tc.id})
		if triage.ErrorCode(err) != triage.ECONFLICT || triage.ErrorField(err) != "preview_id" {
			t.Errorf("%s: %v (field %q), want a conflict naming preview_id", tc.name, err, triage.ErrorField(err))
		}
		if svc.Policy().Version() != before {
			t.Fatalf("%s: the policy changed", tc.name)
		}
	}
	fresh := preview(cand)
	if _, err := svc.ChangePolicy(ctx, admin, bytes.NewReader(cand.MarshalIndented()), triage.ChangeRequest{PreviewID: fresh, Reason: "looser after review"}); err != nil {
		t.Fatal(err)
	}
	if svc.Policy().Version() != versionOf(t, cand) {
		t.Fatalf("policy in force %s, want %s", svc.Policy().Version(), versionOf(t, cand))
	}
	vs, err := svc.PolicyVersions(ctx, admin, 10)
	if err != nil {
		t.Fatal(err)
	}
	if v := vs[0]; !v.Active || v.Version != versionOf(t, cand) || v.PreviewID == nil || *v.PreviewID != fresh || v.Reason != "looser after review" || v.CreatedBy != admin.Actor() {
		t.Errorf("newest version %+v", v)
	}
	detail, err := svc.PolicyVersionDetail(ctx, admin, vs[0].ID)
	if err != nil || len(detail.Diff) != 1 || detail.Diff[0].Path != "default_threshold" || detail.Diff[0].Before != 0.99 || detail.Diff[0].After != 0.7 {
		t.Errorf("diff %+v, %v", detail.Diff, err)
	}
	audit, err := st.AdminAudit(ctx, triage.AuditSubjectPolicy)
	if err != nil {
		t.Fatal(err)
	}
	last := audit[len(audit)-1]
	if last.Action != triage.AuditPolicyActivated || last.Detail["preview_id"] != float64(fresh) || last.Actor != admin.Actor() {
		t.Errorf("audit row %+v, want the activation with preview %d", last, fresh)
	}
	// Rollback is one audited action back to the earlier version.
	rb, err := svc.RollbackPolicy(ctx, admin, vs[1].ID, "too loose")
	if err != nil {
		t.Fatal(err)
	}
	if svc.Policy().Version() != vs[1].Version || rb.Change != triage.ChangeRollback || *rb.RestoredFrom != vs[1].ID {
		t.Errorf("after rollback: in force %s, version %+v", svc.Policy().Version(), rb)
	}
	if _, err := svc.RollbackPolicy(ctx, admin, rb.ID, ""); triage.ErrorCode(err) != triage.ECONFLICT {
		t.Errorf("rolling back to the version in force: %v", err)
	}
}

// versionOf is the version of a policy changed after it was built.
func versionOf(t *testing.T, p *triage.Policy) string {
	t.Helper()
	parsed, err := triage.ParsePolicy(bytes.NewReader(p.MarshalIndented()))
	if err != nil {
		t.Fatal(err)
	}
	return parsed.Version()
}

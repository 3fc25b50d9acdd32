package triage_test

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
)

// itemTrace is everything a decision leaves on an item: its row, its
// decision, its audit rows and its events.
type itemTrace struct {
	Status     triage.Status
	Queue      triage.Queue
	SortKey    float64
	Enrichment map[string]any
	Attributes map[string]any
	Outcome    triage.Outcome
	Reasons    []string
	Audit      []string
	Events     []string
}

func traceOf(t *testing.T, svc *triage.Service, db *postgres.DB, id int64) itemTrace {
	t.Helper()
	ctx := context.Background()
	d, err := svc.Exception(ctx, admin, id)
	if err != nil {
		t.Fatal(err)
	}
	tr := itemTrace{Status: d.Exception.Status, Queue: d.Exception.Queue, SortKey: d.Exception.SortKey,
		Enrichment: d.Exception.Enrichment, Attributes: d.Exception.Attributes, Outcome: d.Decision.Outcome, Reasons: d.Decision.Reasons}
	for _, a := range d.Audit {
		tr.Audit = append(tr.Audit, a.Action+" by "+a.Actor)
	}
	rows, err := db.Pool.Query(ctx, `SELECT type FROM events WHERE exception_id = $1 ORDER BY at, id`, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var typ string
		if err := rows.Scan(&typ); err != nil {
			t.Fatal(err)
		}
		tr.Events = append(tr.Events, typ)
	}
	return tr
}

// startShadow previews pol and runs it in shadow.
func startShadow(t *testing.T, svc *triage.Service, pol *triage.Policy) triage.Shadow {
	t.Helper()
	ctx := context.Background()
	pv, err := svc.PreviewPolicy(ctx, admin, bytes.NewReader(pol.MarshalIndented()), "7d")
	if err != nil {
		t.Fatal(err)
	}
	sh, err := svc.StartShadow(ctx, admin, bytes.NewReader(pol.MarshalIndented()), triage.ChangeRequest{PreviewID: pv.ID, Reason: "try it"})
	if err != nil {
		t.Fatal(err)
	}
	return sh
}

var shadowTexts = []string{
	"NetSuite posting rejected: GL account mapping missing for SKU PLAN-301 in entity US01",
	"GL mapping missing in NetSuite for SKU ADDON-9, posting rejected",
	"SAP connector timeout after 30s while posting invoice batch 301, will retry",
	"posting to SAP timed out for batch 302",
}

// TestShadowDecisionsNeverChangeAnItem submits the same items to two
// identical services, one running a looser policy in shadow: every item
// ends exactly as without the shadow (row, decision, audit, events), while
// the shadow's own decisions, some automatic, are recorded apart.
func TestShadowDecisionsNeverChangeAnItem(t *testing.T) {
	plain, _, plainDB, _, _ := setupGoverned(t)
	shadowed, st, shadowDB, _, _ := setupGoverned(t)
	loose := triage.DefaultPolicy()
	loose.DefaultThreshold = 0.5
	sh := startShadow(t, shadowed, loose)
	for i, text := range shadowTexts {
		a := submitOne(t, plain, fmt.Sprint("sh-", i), text)
		b := submitOne(t, shadowed, fmt.Sprint("sh-", i), text)
		if ta, tb := traceOf(t, plain, plainDB, a.Exception.ID), traceOf(t, shadowed, shadowDB, b.Exception.ID); !reflect.DeepEqual(ta, tb) {
			t.Errorf("item %d differs with a shadow running:\nwithout %+v\nwith    %+v", i, ta, tb)
		}
	}
	ds, err := st.ShadowDecisions(context.Background(), sh.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != len(shadowTexts) {
		t.Fatalf("%d shadow decisions, want %d", len(ds), len(shadowTexts))
	}
	disagree := 0
	for _, d := range ds {
		if d.ShadowVersion != sh.Version || d.ActiveVersion != shadowed.Policy().Version() {
			t.Errorf("shadow decision versions %s / %s", d.ShadowVersion, d.ActiveVersion)
		}
		if !d.Agrees() {
			disagree++
			if d.ActiveOutcome != triage.OutcomeQueue || d.ShadowOutcome != triage.OutcomeAuto {
				t.Errorf("a looser shadow should only automate more: %+v", d)
			}
		}
	}
	if disagree == 0 {
		t.Error("the looser shadow agreed on every item; the test shows nothing")
	}
}

// TestPromotionSwitchesVersionsAtomicallyAndIsAudited reports on a shadow
// with judged items, promotes it (version, end of the shadow and audit
// row together), and shows that a promotion that cannot end its shadow
// writes no version.
func TestPromotionSwitchesVersionsAtomicallyAndIsAudited(t *testing.T) {
	svc, st, _, _, _ := setupGoverned(t)
	ctx := context.Background()
	loose := triage.DefaultPolicy()
	loose.DefaultThreshold = 0.5
	sh := startShadow(t, svc, loose)
	if _, err := svc.StartShadow(ctx, admin, bytes.NewReader(loose.MarshalIndented()), triage.ChangeRequest{PreviewID: sh.PreviewID}); triage.ErrorCode(err) != triage.ECONFLICT {
		t.Errorf("a second shadow: %v, want a conflict", err)
	}
	var subs []triage.Submission
	for i, text := range shadowTexts {
		subs = append(subs, submitOne(t, svc, fmt.Sprint("pr-", i), text))
	}
	judged := 0
	for _, s := range subs {
		if s.Exception.Status == triage.StatusQueued && judged < 2 {
			if _, _, err := svc.Resolve(ctx, admin, s.Exception.ID, triage.ResolutionInput{Verdict: triage.VerdictAccept}); err != nil {
				t.Fatal(err)
			}
			judged++
		}
	}
	rep, err := svc.ShadowReport(ctx, admin, 0)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Decisions != len(subs) || rep.Agreement >= 1 || rep.Candidate.Auto <= rep.Active.Auto {
		t.Errorf("report: %d decisions, agreement %.2f, auto %d active vs %d shadow", rep.Decisions, rep.Agreement, rep.Active.Auto, rep.Candidate.Auto)
	}
	if c := rep.Candidate; c.Judged == 0 || c.Precision == nil || *c.Low > *c.Precision || *c.High < *c.Precision || *c.High > 1 {
		t.Errorf("shadow precision on judged items: %+v", c)
	}
	before, err := svc.PolicyVersions(ctx, admin, 100)
	if err != nil {
		t.Fatal(err)
	}
	v, err := svc.PromoteShadow(ctx, admin, sh.ID, "shadow agrees where it matters")
	if err != nil {
		t.Fatal(err)
	}
	if svc.Policy().Version() != sh.Version || svc.RunningShadow() != nil || v.Change != triage.ChangePromote || *v.ShadowID != sh.ID || *v.PreviewID != sh.PreviewID {
		t.Errorf("after promotion: in force %s (want %s), shadow %v, version %+v", svc.Policy().Version(), sh.Version, svc.RunningShadow(), v)
	}
	if ended, err := st.Shadow(ctx, sh.ID); err != nil || ended.Outcome != triage.ShadowPromoted || ended.EndedAt == nil {
		t.Errorf("the shadow after promotion: %+v, %v", ended, err)
	}
	audit, err := st.AdminAudit(ctx, triage.AuditSubjectPolicy)
	if err != nil {
		t.Fatal(err)
	}
	last := audit[len(audit)-1]
	if last.Action != triage.AuditPolicyPromoted || last.Detail["shadow_id"] != float64(sh.ID) || last.Detail["shadow_decisions"] != float64(len(subs)) || last.Detail["policy_version_id"] != float64(v.ID) {
		t.Errorf("promotion audit row %+v", last)
	}
	// Promoting again finds the shadow ended, and writes nothing: the
	// version is only kept with the end of its shadow.
	if _, err := svc.PromoteShadow(ctx, admin, sh.ID, ""); triage.ErrorCode(err) != triage.ECONFLICT {
		t.Errorf("a second promotion: %v, want a conflict", err)
	}
	again := v
	again.Policy = before[0].Policy
	if _, err := st.ActivateVersion(ctx, again, triage.AdminAudit{At: v.CreatedAt, Actor: "test", Action: triage.AuditPolicyPromoted,
		Subject: triage.AuditSubjectPolicy, Detail: map[string]any{}}); triage.ErrorCode(err) != triage.ECONFLICT {
		t.Errorf("activating a version for an ended shadow: %v, want a conflict", err)
	}
	after, err := svc.PolicyVersions(ctx, admin, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before)+1 || after[0].ID != v.ID {
		t.Errorf("%d versions after one promotion (was %d); newest %d, want %d", len(after), len(before), after[0].ID, v.ID)
	}
	if n, err := st.AdminAudit(ctx, triage.AuditSubjectPolicy); err != nil || len(n) != len(audit) {
		t.Errorf("the refused promotion left audit rows: %d, was %d (%v)", len(n), len(audit), err)
	}
}

// A second replica on the same database takes up a change, a shadow and
// its end when it re-reads the policy.
func TestAnotherReplicaTakesUpChangesOnRefresh(t *testing.T) {
	svc, st, _, _, _ := setupGoverned(t)
	ctx := context.Background()
	other := triage.NewService(triage.Config{Store: st, Embedder: svc.Embedder(), Policies: st})
	loose := triage.DefaultPolicy()
	loose.DefaultThreshold = 0.5
	sh := startShadow(t, svc, loose)
	if err := other.RefreshPolicy(ctx); err != nil {
		t.Fatal(err)
	}
	if other.Policy().Version() != svc.Policy().Version() || other.RunningShadow() == nil || other.RunningShadow().ID != sh.ID {
		t.Fatalf("the other replica has %s and shadow %v, want %s and shadow %d", other.Policy().Version(), other.RunningShadow(), svc.Policy().Version(), sh.ID)
	}
	if err := svc.DiscardShadow(ctx, admin, sh.ID, "enough"); err != nil {
		t.Fatal(err)
	}
	if err := other.RefreshPolicy(ctx); err != nil {
		t.Fatal(err)
	}
	if other.RunningShadow() != nil {
		t.Errorf("the other replica still runs discarded shadow %d", sh.ID)
	}
}

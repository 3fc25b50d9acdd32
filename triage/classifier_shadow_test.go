package triage_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/billtriage/billtriage/embeddings"
	"github.com/billtriage/billtriage/models/classify"
	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
)

// testRegistry keeps a Learner's models in classifier_models, as the
// server's registry does, and never retrains.
type testRegistry struct{ st *postgres.Store }

func (r testRegistry) key(t triage.Type, settings string) postgres.ClassifierKey {
	return postgres.ClassifierKey{Type: t, Config: settings}
}

func (r testRegistry) Latest(ctx context.Context, t triage.Type, settings string, after int64) (classify.StoredModel, error) {
	m, err := r.st.LatestClassifier(ctx, r.key(t, settings), after)
	return classify.StoredModel{Version: m.Version, TrainedOn: m.TrainedOn, Body: m.Body}, err
}

func (r testRegistry) Save(ctx context.Context, t triage.Type, settings string, m classify.StoredModel) (int64, error) {
	return r.st.SaveClassifier(ctx, postgres.ClassifierModel{ClassifierKey: r.key(t, settings), TrainedOn: m.TrainedOn, Body: m.Body})
}

func (r testRegistry) Count(ctx context.Context, t triage.Type) (int, error) {
	return r.st.TypeResolutionCount(ctx, t)
}

func (r testRegistry) RequestRetrain(context.Context, triage.Type, string) error { return nil }

// versionSource reads stored versions for the candidate.
type versionSource struct{ st *postgres.Store }

func (v versionSource) StoredVersion(ctx context.Context, version int64) (triage.Type, string, classify.StoredModel, error) {
	m, err := v.st.ClassifierBody(ctx, version)
	return m.Type, m.Config, classify.StoredModel{Version: version, Body: m.Body}, err
}

// clfTexts are the training and test texts of two causes, in shapes the
// generator never makes.
var clfTexts = map[string][]string{
	triage.PairLabel("missing_gl_mapping", "add_gl_mapping"): {
		"Buchung abgelehnt: Sachkonto für Artikel %d fehlt im Mandant DE02",
		"posting refused — no ledger account mapped for item #%d (entity ÅB-7)",
	},
	triage.PairLabel("erp_timeout", "retry_posting"): {
		"ERP link timed out after %d seconds, batch left unposted",
		"délai dépassé: connecteur comptable sans réponse, lot %d non transmis",
	},
}

// trainPair trains the model in use (right labels) and a candidate that
// calls every timeout something else, and stores the candidate first, so
// the right one is the newest and in use. The candidate is stored as
// trained on no history, so that once promoted a retraining would be due
// at once if the promotion kept its trained_on. It returns their versions.
func trainPair(t *testing.T, st *postgres.Store, settings string) (candidate, active int64) {
	t.Helper()
	ctx := context.Background()
	var texts, right, wrong []string
	for label, shapes := range clfTexts {
		for i := range 40 {
			texts = append(texts, fmt.Sprintf(shapes[i%2], 100+i))
			right = append(right, label)
			bad := label
			if rc, _ := triage.SplitPair(label); rc == "erp_timeout" {
				bad = triage.PairLabel("vendor_outage", "escalate_vendor")
			}
			wrong = append(wrong, bad)
		}
	}
	for i, labels := range [][]string{wrong, right} {
		m, err := classify.Train(texts, labels, classify.Config{})
		if err != nil {
			t.Fatal(err)
		}
		body, err := m.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		v, err := st.SaveClassifier(ctx, postgres.ClassifierModel{ClassifierKey: postgres.ClassifierKey{Type: triage.ERPPostingFailure, Config: settings},
			TrainedOn: 24 * i, Body: body})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			candidate = v
		} else {
			active = v
		}
	}
	return candidate, active
}

type clfFixture struct {
	svc               *triage.Service
	st                *postgres.Store
	db                *postgres.DB
	candidate, active int64
}

// setupClassifierShadow returns a service deciding with the stored
// classifier in use; withShadows wires the shadow's store and candidate.
func setupClassifierShadow(t *testing.T, withShadows bool) clfFixture {
	t.Helper()
	_, st, db := setupDB(t)
	ctx := context.Background()
	clf := &classify.Learner{Source: storeSource{st}, Registry: testRegistry{st}, Sync: true}
	cand, act := trainPair(t, st, clf.Settings())
	if err := clf.TrainAll(ctx); err != nil {
		t.Fatal(err)
	}
	if clf.StoredVersion(triage.ERPPostingFailure) != act {
		t.Fatalf("the learner serves %d, want %d", clf.StoredVersion(triage.ERPPostingFailure), act)
	}
	emb, err := embeddings.NewLocal(256)
	if err != nil {
		t.Fatal(err)
	}
	cfg := triage.Config{Store: st, Embedder: emb, Classifier: clf, Policies: st, Outbox: st,
		Now: func() time.Time { return time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC) }}
	if withShadows {
		cfg.ClassifierShadows = st
		cfg.CandidateClassifier = &classify.Candidates{Source: versionSource{st}, Settings: clf.Settings()}
	}
	return clfFixture{svc: triage.NewService(cfg), st: st, db: db, candidate: cand, active: act}
}

// clfItems are test texts of both causes, unlike the training ones.
func clfItems() []triage.Exception {
	var out []triage.Exception
	amt := 80.0
	i := 0
	for _, shapes := range clfTexts {
		for j := range 8 {
			out = append(out, triage.Exception{Source: "test", ExternalID: fmt.Sprint("cs-", i), Type: triage.ERPPostingFailure,
				Text: fmt.Sprintf(shapes[j%2], 7000+j*13), OccurredAt: time.Date(2025, 5, 30, 0, 0, 0, 0, time.UTC), Amount: &amt, Currency: "USD"})
			i++
		}
	}
	return out
}

func (f clfFixture) submit(t *testing.T, ex triage.Exception) triage.Submission {
	t.Helper()
	subs, err := f.svc.Submit(context.Background(), admin, []triage.Exception{ex})
	if err != nil {
		t.Fatal(err)
	}
	return subs[0]
}

// TestClassifierShadowNeverChangesAnItem submits the same items to twin
// services, one running the candidate classifier in shadow: every item
// ends exactly as without it (row, decision, audit, events), while the
// candidate's suggestions are recorded apart, one per decision.
func TestClassifierShadowNeverChangesAnItem(t *testing.T) {
	plain := setupClassifierShadow(t, false)
	shadowed := setupClassifierShadow(t, true)
	ctx := context.Background()
	sh, err := shadowed.svc.StartClassifierShadow(ctx, admin, triage.ERPPostingFailure, shadowed.candidate, "try the other labels")
	if err != nil {
		t.Fatal(err)
	}
	items := clfItems()
	for i, ex := range items {
		a, b := plain.submit(t, ex), shadowed.submit(t, ex)
		if ta, tb := traceOf(t, plain.svc, plain.db, a.Exception.ID), traceOf(t, shadowed.svc, shadowed.db, b.Exception.ID); !reflect.DeepEqual(ta, tb) {
			t.Errorf("item %d differs with a classifier shadow running:\nwithout %+v\nwith    %+v", i, ta, tb)
		}
	}
	ps, err := shadowed.st.ClassifierShadowPredictions(ctx, sh.ID, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != len(items) {
		t.Fatalf("%d shadow predictions for %d decisions", len(ps), len(items))
	}
	differ := 0
	for _, p := range ps {
		differ += b2i(!p.Agrees())
	}
	if differ == 0 {
		t.Error("the two classifiers agreed on every item; the test shows nothing")
	}
	var n int
	if err := plain.db.Pool.QueryRow(ctx, `SELECT count(*) FROM classifier_shadow_predictions`).Scan(&n); err != nil || n != 0 {
		t.Errorf("the twin without a shadow recorded %d predictions (%v)", n, err)
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestClassifierShadowReportOnJudgedItems resolves half the items as a
// person would and checks the report's agreement, changed outcomes and
// each version's precision on the judged items against counts made here.
func TestClassifierShadowReportOnJudgedItems(t *testing.T) {
	f := setupClassifierShadow(t, true)
	ctx := context.Background()
	// Precedents need not agree, so the suggestion alone decides whether
	// an item is automated: the candidate's wrong action then changes it.
	pol := triage.DefaultPolicy()
	pol.MinSimilarity = 0
	activate(t, f.svc, pol)
	sh, err := f.svc.StartClassifierShadow(ctx, admin, triage.ERPPostingFailure, f.candidate, "")
	if err != nil {
		t.Fatal(err)
	}
	truth := map[int64]string{}
	var ids []int64
	for label, shapes := range clfTexts {
		for j := range 8 {
			amt := 80.0
			s := f.submit(t, triage.Exception{Source: "test", ExternalID: fmt.Sprint("cj-", label, j), Type: triage.ERPPostingFailure,
				Text: fmt.Sprintf(shapes[j%2], 9100+j*7), OccurredAt: time.Date(2025, 5, 30, 0, 0, 0, 0, time.UTC), Amount: &amt, Currency: "USD"})
			truth[s.Exception.ID] = label
			ids = append(ids, s.Exception.ID)
		}
	}
	ps, err := f.st.ClassifierShadowPredictions(ctx, sh.ID, 1000)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[int64]triage.ClassifierShadowPrediction{}
	for _, p := range ps {
		byID[p.ExceptionID] = p
	}
	agreed, changed, judged, rightA, rightC := 0, 0, 0, 0, 0
	for i, id := range ids {
		p := byID[id]
		agreed += b2i(p.Agrees())
		changed += b2i(p.Changed())
		if i%2 == 1 {
			continue // left unjudged
		}
		rc, act := triage.SplitPair(truth[id])
		if _, _, err := f.svc.Resolve(ctx, admin, id, triage.ResolutionInput{Verdict: triage.VerdictEdit, RootCause: rc, Action: act}); err != nil {
			t.Fatal(err)
		}
		judged++
		rightA += b2i(p.ActiveRootCause == rc && p.ActiveAction == act)
		rightC += b2i(p.CandidateRootCause == rc && p.CandidateAction == act)
	}
	rep, err := f.svc.ClassifierShadowReport(ctx, admin, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("predicted %d, agreed %d, changed %d, judged %d, right active %d candidate %d", len(ps), agreed, changed, judged, rightA, rightC)
	if judged < 4 || rightA == rightC || agreed == len(ps) || changed == 0 {
		t.Fatalf("judged %d, right %d / %d, agreed %d of %d: too little to test", judged, rightA, rightC, agreed, len(ps))
	}
	if rep.Predicted != len(ps) || rep.Agreed != agreed || rep.OutcomeChanged != changed || rep.Judged != judged ||
		rep.Active.Right != rightA || rep.Candidate.Right != rightC || rep.Active.Judged != judged || rep.Candidate.Judged != judged {
		t.Errorf("report %+v; want predicted %d agreed %d changed %d judged %d right %d / %d", rep, len(ps), agreed, changed, judged, rightA, rightC)
	}
	for name, c := range map[string]triage.ShadowPrecision{"active": rep.Active, "candidate": rep.Candidate} {
		want := float64(c.Right) / float64(judged)
		lo, hi := triage.Wilson(c.Right, judged, 1.959964)
		if c.Precision == nil || *c.Precision != want || *c.Low != lo || *c.High != hi || lo > want || hi < want {
			t.Errorf("%s precision %+v, want %.3f in [%.3f, %.3f]", name, c, want, lo, hi)
		}
	}
	if len(rep.Disagreements) != len(ps)-agreed {
		t.Errorf("%d disagreements listed, want %d", len(rep.Disagreements), len(ps)-agreed)
	}
}

// TestClassifierShadowPromotionIsAtomicAndAudited: a second shadow is a
// conflict (in the database too); the version in use cannot be
// shadowed; a replica picks the shadow up on its poll; promotion stores
// the candidate as the newest version (served after the next poll),
// ends the shadow and writes one audit row, and cannot happen twice; a
// discard is audited and leaves the version in use.
func TestClassifierShadowPromotionIsAtomicAndAudited(t *testing.T) {
	f := setupClassifierShadow(t, true)
	ctx := context.Background()
	if _, err := f.svc.StartClassifierShadow(ctx, admin, triage.ERPPostingFailure, f.active, ""); triage.ErrorCode(err) != triage.ECONFLICT {
		t.Errorf("shadowing the version in use: %v, want a conflict", err)
	}
	if _, err := f.svc.StartClassifierShadow(ctx, admin, triage.TaxInconsistency, f.candidate, ""); triage.ErrorCode(err) != triage.ENOTFOUND {
		t.Errorf("shadowing a version of another type: %v, want not found", err)
	}
	sh, err := f.svc.StartClassifierShadow(ctx, admin, triage.ERPPostingFailure, f.candidate, "compare")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.StartClassifierShadow(ctx, admin, triage.ERPPostingFailure, f.candidate, ""); triage.ErrorCode(err) != triage.ECONFLICT {
		t.Errorf("a second shadow: %v, want a conflict", err)
	}
	second := triage.ClassifierShadow{Type: triage.ERPPostingFailure, Version: f.candidate, ActiveVersion: f.active, StartedBy: "x", StartedAt: time.Now()}
	if _, err := f.st.StartClassifierShadow(ctx, second, triage.AdminAudit{At: time.Now(), Actor: "x", Action: "x", Subject: "x",
		Detail: map[string]any{}}); triage.ErrorCode(err) != triage.ECONFLICT {
		t.Errorf("a second running shadow written straight to the store: %v, want a conflict", err)
	}
	replica := triage.NewService(triage.Config{Store: f.st, Embedder: f.svc.Embedder(), ClassifierShadows: f.st})
	if err := replica.RefreshPolicy(ctx); err != nil || replica.RunningClassifierShadow() == nil || replica.RunningClassifierShadow().ID != sh.ID {
		t.Errorf("the replica's running shadow after its poll: %+v, %v", replica.RunningClassifierShadow(), err)
	}
	for _, ex := range clfItems()[:4] {
		f.submit(t, ex)
	}
	before, err := f.st.AdminAudit(ctx, triage.AuditSubjectClassifier)
	if err != nil {
		t.Fatal(err)
	}
	ended, err := f.svc.PromoteClassifierShadow(ctx, admin, sh.ID, "better on our texts")
	if err != nil {
		t.Fatal(err)
	}
	if ended.Outcome != triage.ShadowPromoted || ended.EndedAt == nil || ended.PromotedAs <= f.active || f.svc.RunningClassifierShadow() != nil {
		t.Errorf("the shadow after promotion: %+v, running %v", ended, f.svc.RunningClassifierShadow())
	}
	vs, err := f.svc.ClassifierVersions(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	count, err := f.st.TypeResolutionCount(ctx, triage.ERPPostingFailure)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		inUse := v.Version == ended.PromotedAs
		if v.Type == triage.ERPPostingFailure && v.InUse != inUse {
			t.Errorf("version %d in use %v after promoting to %d", v.Version, v.InUse, ended.PromotedAs)
		}
		if inUse && (v.PromotedFrom != f.candidate || v.TrainedOn != count) {
			t.Errorf("promoted version %+v; want from %d, trained on the history now (%d)", v, f.candidate, count)
		}
	}
	// Every replica's registry poll now serves the candidate's body.
	stored, err := f.st.LatestClassifier(ctx, postgres.ClassifierKey{Type: triage.ERPPostingFailure, Config: (&classify.Learner{}).Settings()}, 0)
	if err != nil {
		t.Fatal(err)
	}
	cand, err := f.st.ClassifierBody(ctx, f.candidate)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Version != ended.PromotedAs || !reflect.DeepEqual(stored.Body, cand.Body) {
		t.Errorf("newest stored version %d is not the candidate's body promoted as %d", stored.Version, ended.PromotedAs)
	}
	// The automatic retraining does not undo the promotion: it is next
	// due RetrainEvery resolutions after it, not at once.
	retrainer := &classify.Learner{Source: storeSource{f.st}, Registry: testRegistry{f.st}, RetrainEvery: 20, MinExamples: 10}
	if err := retrainer.Retrain(ctx, triage.ERPPostingFailure, retrainer.Settings()); err != nil {
		t.Fatal(err)
	}
	if after, err := f.st.LatestClassifier(ctx, stored.ClassifierKey, 0); err != nil || after.Version != ended.PromotedAs {
		t.Errorf("a retraining right after the promotion stored %d (%v), want %d kept", after.Version, err, ended.PromotedAs)
	}
	audit, err := f.st.AdminAudit(ctx, triage.AuditSubjectClassifier)
	if err != nil {
		t.Fatal(err)
	}
	if len(audit) != len(before)+1 {
		t.Fatalf("%d audit rows after one promotion, was %d", len(audit), len(before))
	}
	last := audit[len(audit)-1]
	if last.Action != triage.AuditClassifierPromoted || last.Detail["shadow_id"] != float64(sh.ID) || last.Detail["version"] != float64(f.candidate) ||
		last.Detail["previous_version"] != float64(f.active) || last.Detail["promoted_as"] != float64(ended.PromotedAs) || last.Detail["predicted"] != float64(4) {
		t.Errorf("promotion audit row %+v", last)
	}
	if _, err := f.svc.PromoteClassifierShadow(ctx, admin, sh.ID, ""); triage.ErrorCode(err) != triage.ECONFLICT {
		t.Errorf("a second promotion: %v, want a conflict", err)
	}
	if _, err := f.st.PromoteClassifierShadow(ctx, sh.ID, last); triage.ErrorCode(err) != triage.ECONFLICT {
		t.Errorf("promoting the ended shadow in the store: %v, want a conflict", err)
	}
	if n, err := f.st.AdminAudit(ctx, triage.AuditSubjectClassifier); err != nil || len(n) != len(audit) {
		t.Errorf("the refused promotions left audit rows: %d, was %d (%v)", len(n), len(audit), err)
	}
	// The formerly active version, shadowed and discarded.
	back, err := f.svc.StartClassifierShadow(ctx, admin, triage.ERPPostingFailure, f.active, "compare again")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.DiscardClassifierShadow(ctx, admin, back.ID, "enough"); err != nil {
		t.Fatal(err)
	}
	if latest, err := f.st.LatestClassifier(ctx, stored.ClassifierKey, 0); err != nil || latest.Version != ended.PromotedAs || f.svc.RunningClassifierShadow() != nil {
		t.Errorf("after a discard the newest version is %d (%v), running %v", latest.Version, err, f.svc.RunningClassifierShadow())
	}
	audit, err = f.st.AdminAudit(ctx, triage.AuditSubjectClassifier)
	if err != nil {
		t.Fatal(err)
	}
	if last := audit[len(audit)-1]; last.Action != triage.AuditClassifierShadowDiscarded || last.Detail["shadow_id"] != float64(back.ID) {
		t.Errorf("discard audit row %+v", last)
	}
	if err := replica.RefreshPolicy(ctx); err != nil || replica.RunningClassifierShadow() != nil {
		t.Errorf("the replica still runs %+v after the discard (%v)", replica.RunningClassifierShadow(), err)
	}
}

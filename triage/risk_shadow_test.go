package triage_test

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/billtriage/billtriage/dataset/generate"
	"github.com/billtriage/billtriage/embeddings"
	"github.com/billtriage/billtriage/features"
	"github.com/billtriage/billtriage/models/risk"
	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
)

// riskData is what every risk-shadow test shares: invoices and two models
// trained on them (one per family), trained once.
var riskData = sync.OnceValues(func() (riskFixtureData, error) {
	_, invs, err := generate.Generate(generate.Config{Seed: 11, Exceptions: 1, Invoices: 1500})
	if err != nil {
		return riskFixtureData{}, err
	}
	asOf := risk.LatestIssue(invs)
	var recs []triage.RiskModel
	for _, fam := range []risk.Family{risk.Logistic, risk.Forest} {
		m, _, err := risk.TrainInvoices(invs, nil, asOf, risk.Config{Family: fam, Seed: 1, Forest: risk.ForestConfig{Trees: 20},
			Features: features.Options{LateDays: features.DefaultLateDays}})
		if err != nil {
			return riskFixtureData{}, err
		}
		rec, err := risk.Record(m)
		if err != nil {
			return riskFixtureData{}, err
		}
		recs = append(recs, rec)
	}
	return riskFixtureData{invs: invs, active: recs[0], candidate: recs[1]}, nil
})

// futureInvoice is due after the fixtures' clock.
const futureInvoice = "fac/ÄÖ 2026:9"

type riskFixtureData struct {
	invs              []triage.Invoice
	active, candidate triage.RiskModel
}

// riskFixture is a service scoring risk with the active model, on its own
// schema holding the invoices and both models.
type riskFixture struct {
	svc   *triage.Service
	st    *postgres.Store
	db    *postgres.DB
	clock *clock
	data  riskFixtureData
}

// setupRiskShadow returns a fixture whose clock stands after every
// generated invoice's outcome is known; withShadows wires the shadow's
// store and candidate scorer.
func setupRiskShadow(t *testing.T, withShadows bool) riskFixture {
	t.Helper()
	data, err := riskData()
	if err != nil {
		t.Fatal(err)
	}
	_, st, db := setupDB(t)
	ctx := context.Background()
	// An invoice of a shape the generator never makes, due after the
	// clock: its outcome is not known yet.
	future := triage.Invoice{InvoiceID: futureInvoice, CustomerID: "kunde·x", IssuedAt: time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC),
		DueAt: time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC), Amount: 990, Currency: "EUR", Region: "EU"}
	if err := st.UpsertInvoices(ctx, append(append([]triage.Invoice{}, data.invs...), future)); err != nil {
		t.Fatal(err)
	}
	for _, m := range []triage.RiskModel{data.active, data.candidate} {
		if err := st.SaveModel(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.ActivateModel(ctx, data.active.Version); err != nil {
		t.Fatal(err)
	}
	emb, err := embeddings.NewLocal(256)
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)}
	scorer := &risk.Scorer{Invoices: st, Registry: st, Recheck: time.Nanosecond}
	cfg := triage.Config{Store: st, Embedder: emb, Risk: scorer, Policies: st, Models: st, FeatureHash: features.FeatureHash(), Outbox: st, Now: c.now}
	if withShadows {
		cfg.ModelShadows, cfg.Candidate = st, &risk.Candidates{Scorer: scorer, Models: st}
	}
	svc := triage.NewService(cfg)
	// A risk limit near the generated invoices' late share, so that the
	// two models' scores fall on either side of it for some items.
	pol := triage.DefaultPolicy()
	pol.MaxAutoRisk = 0.25
	activate(t, svc, pol)
	return riskFixture{svc: svc, st: st, db: db, clock: c, data: data}
}

// riskItems are the exceptions the tests submit: one per invoice of a
// spread of the generated ones, raised a day after issue (so the outcome
// is not yet known when scored), and one on the invoice due in the future.
func riskItems(data riskFixtureData) []triage.Exception {
	var out []triage.Exception
	texts := []string{"NetSuite posting rejected: GL account mapping missing for SKU PLAN-%d in entity US01",
		"SAP connector timeout after 30s while posting invoice batch %d, will retry"}
	amt := 120.0
	for i := 0; i < len(data.invs) && len(out) < 40; i += len(data.invs) / 40 {
		inv := data.invs[i]
		out = append(out, triage.Exception{Source: "test", ExternalID: fmt.Sprint("rs-", i), Type: triage.ERPPostingFailure,
			Text: fmt.Sprintf(texts[i%2], 500+i), InvoiceID: inv.InvoiceID, CustomerID: inv.CustomerID,
			OccurredAt: inv.IssuedAt.Add(24 * time.Hour), Amount: &amt, Currency: "USD"})
	}
	return append(out, triage.Exception{Source: "test", ExternalID: "rs-future", Type: triage.ERPPostingFailure,
		Text: fmt.Sprintf(texts[0], 9999), InvoiceID: futureInvoice, CustomerID: "kunde·x",
		OccurredAt: time.Date(2026, 8, 2, 0, 0, 0, 0, time.UTC), Amount: &amt, Currency: "USD"})
}

func (f riskFixture) submit(t *testing.T, ex triage.Exception) triage.Submission {
	t.Helper()
	subs, err := f.svc.Submit(context.Background(), admin, []triage.Exception{ex})
	if err != nil {
		t.Fatal(err)
	}
	return subs[0]
}

// TestRiskShadowScoresNeverChangeAnItem submits the same items to twin
// services, one running the other model in shadow: every item ends
// exactly as without it (row, decision, audit, events), while the
// candidate's scores are recorded apart, one per risk-scored decision.
func TestRiskShadowScoresNeverChangeAnItem(t *testing.T) {
	plain := setupRiskShadow(t, false)
	shadowed := setupRiskShadow(t, true)
	ctx := context.Background()
	sh, err := shadowed.svc.StartModelShadow(ctx, admin, shadowed.data.candidate.Version, "try the forest")
	if err != nil {
		t.Fatal(err)
	}
	scored := 0
	for i, ex := range riskItems(plain.data) {
		a, b := plain.submit(t, ex), shadowed.submit(t, ex)
		if ta, tb := traceOf(t, plain.svc, plain.db, a.Exception.ID), traceOf(t, shadowed.svc, shadowed.db, b.Exception.ID); !reflect.DeepEqual(ta, tb) {
			t.Errorf("item %d differs with a risk shadow running:\nwithout %+v\nwith    %+v", i, ta, tb)
		}
		if r := b.Decision.Risk; r != nil && !r.Known {
			scored++
		}
	}
	scores, err := shadowed.st.ModelShadowScores(ctx, sh.ID, shadowed.clock.now(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	if scored == 0 || len(scores) != scored {
		t.Fatalf("%d shadow scores for %d risk-scored decisions", len(scores), scored)
	}
	differ := 0
	for _, sc := range scores {
		if sc.ActiveVersion != shadowed.data.active.Version || sc.CandidateVersion != shadowed.data.candidate.Version {
			t.Errorf("score versions %s / %s", sc.ActiveVersion, sc.CandidateVersion)
		}
		if sc.ActiveScore != sc.CandidateScore {
			differ++
		}
	}
	if differ == 0 {
		t.Error("the two models scored every invoice alike; the test shows nothing")
	}
	var n int
	if err := plain.db.Pool.QueryRow(ctx, `SELECT count(*) FROM risk_shadow_scores`).Scan(&n); err != nil || n != 0 {
		t.Errorf("the twin without a shadow recorded %d scores (%v)", n, err)
	}
}

// runRiskShadow starts the candidate in shadow on a fresh fixture and
// submits every risk item; it returns the shadow and the submissions.
func runRiskShadow(t *testing.T) (riskFixture, triage.ModelShadow, map[int64]triage.Submission) {
	t.Helper()
	f := setupRiskShadow(t, true)
	sh, err := f.svc.StartModelShadow(context.Background(), admin, f.data.candidate.Version, "")
	if err != nil {
		t.Fatal(err)
	}
	subs := map[int64]triage.Submission{}
	for _, ex := range riskItems(f.data) {
		s := f.submit(t, ex)
		subs[s.Exception.ID] = s
	}
	return f, sh, subs
}

// TestRiskShadowReportOnKnownOutcomes checks the report's agreement and,
// on the invoices whose payment outcome is known at the clock, each
// model's Brier score and AUC against the risk package's own metrics on
// the same invoices, with intervals around them.
func TestRiskShadowReportOnKnownOutcomes(t *testing.T) {
	f, sh, subs := runRiskShadow(t)
	ctx := context.Background()
	rep, err := f.svc.ModelShadowReport(ctx, admin, 0)
	if err != nil {
		t.Fatal(err)
	}
	scores, err := f.st.ModelShadowScores(ctx, sh.ID, f.clock.now(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	invs := map[string]triage.Invoice{}
	for _, in := range f.data.invs {
		invs[in.InvoiceID] = in
	}
	lateAfter := time.Duration(f.data.candidate.LateDays) * 24 * time.Hour
	pol := f.svc.Policy()
	var act, cand []float64
	var late []bool
	diff, changed, sawFuture := 0.0, 0, false
	for _, sc := range scores {
		sub := subs[sc.ExceptionID]
		diff += math.Abs(sc.CandidateScore - sc.ActiveScore)
		if sc.ActiveScore != sub.Decision.Risk.Probability || sc.ActiveOutcome != sub.Decision.Outcome {
			t.Errorf("item %d: recorded active %.3f %s, decided %.3f %s", sc.ExceptionID, sc.ActiveScore, sc.ActiveOutcome,
				sub.Decision.Risk.Probability, sub.Decision.Outcome)
		}
		if sc.CandidateScore > pol.MaxAutoRisk && sc.CandidateOutcome == triage.OutcomeAuto {
			t.Errorf("item %d automated under a candidate risk %.3f above %.2f", sc.ExceptionID, sc.CandidateScore, pol.MaxAutoRisk)
		}
		if sc.Changed() {
			changed++
			if (sc.ActiveScore > pol.MaxAutoRisk) == (sc.CandidateScore > pol.MaxAutoRisk) {
				t.Errorf("item %d changed outcome with both scores on one side of %.2f: %+v", sc.ExceptionID, pol.MaxAutoRisk, sc)
			}
		}
		in, ok := invs[sc.InvoiceID]
		if !ok {
			sawFuture = true
			if sc.Known {
				t.Errorf("the invoice due after the clock counts as known: %+v", sc)
			}
			continue
		}
		known := in.PaidAt != nil && !in.PaidAt.After(f.clock.now()) || !in.DueAt.Add(lateAfter).After(f.clock.now())
		isLate := in.PaidAt == nil || in.PaidAt.After(in.DueAt.Add(lateAfter))
		if sc.Known != known || known && sc.Late != isLate {
			t.Errorf("invoice %s: known %v late %v, want %v %v", in.InvoiceID, sc.Known, sc.Late, known, isLate)
		}
		if known {
			act, cand, late = append(act, sc.ActiveScore), append(cand, sc.CandidateScore), append(late, isLate)
		}
	}
	if !sawFuture || len(late) < 10 || changed == 0 {
		t.Fatalf("%d known outcomes, %d changed, future invoice scored %v: too few to test", len(late), changed, sawFuture)
	}
	t.Logf("scored %d, known %d, changed %d, active brier %.4f auc %.3f, candidate brier %.4f auc %.3f",
		len(scores), len(late), changed, risk.Brier(act, late), risk.AUC(act, late), risk.Brier(cand, late), risk.AUC(cand, late))
	if rep.Scored != len(scores) || rep.Known != len(late) || rep.OutcomeChanged != changed ||
		math.Abs(rep.MeanAbsDiff-diff/float64(len(scores))) > 1e-9 {
		t.Errorf("report scored %d known %d changed %d diff %.4f; want %d %d %d %.4f", rep.Scored, rep.Known, rep.OutcomeChanged, rep.MeanAbsDiff,
			len(scores), len(late), changed, diff/float64(len(scores)))
	}
	if lo, hi := rep.ChangedLow, rep.ChangedHigh; lo > rep.ChangedShare || hi < rep.ChangedShare || lo < 0 || hi > 1 {
		t.Errorf("changed share %.3f outside its interval [%.3f, %.3f]", rep.ChangedShare, lo, hi)
	}
	checks := []struct {
		name string
		got  *triage.Interval
		want float64
	}{
		{"active Brier", rep.Active.Brier, risk.Brier(act, late)},
		{"candidate Brier", rep.Candidate.Brier, risk.Brier(cand, late)},
		{"active AUC", rep.Active.AUC, risk.AUC(act, late)},
		{"candidate AUC", rep.Candidate.AUC, risk.AUC(cand, late)},
		{"Brier difference", rep.BrierDiff, risk.Brier(cand, late) - risk.Brier(act, late)},
	}
	for _, c := range checks {
		if c.got == nil {
			t.Errorf("%s: missing", c.name)
			continue
		}
		if math.Abs(c.got.Value-c.want) > 1e-9 || c.got.Low > c.got.Value || c.got.High < c.got.Value || c.got.Low == c.got.High {
			t.Errorf("%s = %+v, want %.6f inside a proper interval", c.name, *c.got, c.want)
		}
	}
	if rep.Active.Version != f.data.active.Version || rep.Candidate.Version != f.data.candidate.Version {
		t.Errorf("report versions %s / %s", rep.Active.Version, rep.Candidate.Version)
	}
}

// TestRiskShadowPromotionIsAtomicAndAudited: a second shadow is a
// conflict (in the database too); a replica picks the shadow up on its
// poll; promotion switches the active model, ends the shadow and writes
// one audit row with the report, and cannot happen twice; a discard
// leaves the active model and is audited.
func TestRiskShadowPromotionIsAtomicAndAudited(t *testing.T) {
	f, sh, _ := runRiskShadow(t)
	ctx := context.Background()
	if _, err := f.svc.StartModelShadow(ctx, admin, f.data.candidate.Version, ""); triage.ErrorCode(err) != triage.ECONFLICT {
		t.Errorf("a second shadow: %v, want a conflict", err)
	}
	second := triage.ModelShadow{Version: f.data.candidate.Version, StartedBy: "x", StartedAt: f.clock.now()}
	if _, err := f.st.StartModelShadow(ctx, second, triage.AdminAudit{At: f.clock.now(), Actor: "x", Action: "x", Subject: "x",
		Detail: map[string]any{}}); triage.ErrorCode(err) != triage.ECONFLICT {
		t.Errorf("a second running shadow written straight to the store: %v, want a conflict", err)
	}
	if _, err := f.svc.StartModelShadow(ctx, admin, f.data.active.Version, ""); triage.ErrorCode(err) != triage.ECONFLICT {
		t.Errorf("shadowing the active model: %v, want a conflict", err)
	}
	replica := triage.NewService(triage.Config{Store: f.st, Embedder: f.svc.Embedder(), Models: f.st, ModelShadows: f.st})
	if err := replica.RefreshPolicy(ctx); err != nil || replica.RunningModelShadow() == nil || replica.RunningModelShadow().ID != sh.ID {
		t.Errorf("the replica's running shadow after its poll: %+v, %v", replica.RunningModelShadow(), err)
	}
	before, err := f.st.AdminAudit(ctx, triage.AuditSubjectModel)
	if err != nil {
		t.Fatal(err)
	}
	ended, err := f.svc.PromoteModelShadow(ctx, admin, sh.ID, "better calibrated")
	if err != nil {
		t.Fatal(err)
	}
	if v, err := f.st.ActiveModelVersion(ctx); err != nil || v != f.data.candidate.Version {
		t.Errorf("active model after promotion %q (%v), want %s", v, err, f.data.candidate.Version)
	}
	if ended.Outcome != triage.ShadowPromoted || ended.EndedAt == nil || ended.EndedBy != admin.Actor() || f.svc.RunningModelShadow() != nil {
		t.Errorf("the shadow after promotion: %+v, running %v", ended, f.svc.RunningModelShadow())
	}
	audit, err := f.st.AdminAudit(ctx, triage.AuditSubjectModel)
	if err != nil {
		t.Fatal(err)
	}
	if len(audit) != len(before)+1 {
		t.Fatalf("%d audit rows after one promotion, was %d", len(audit), len(before))
	}
	last := audit[len(audit)-1]
	if last.Action != triage.AuditModelPromoted || last.Detail["shadow_id"] != float64(sh.ID) || last.Detail["version"] != f.data.candidate.Version ||
		last.Detail["previous_version"] != f.data.active.Version || last.Detail["scored"] == float64(0) || last.Detail["brier_candidate"] == nil {
		t.Errorf("promotion audit row %+v", last)
	}
	if _, err := f.svc.PromoteModelShadow(ctx, admin, sh.ID, ""); triage.ErrorCode(err) != triage.ECONFLICT {
		t.Errorf("a second promotion: %v, want a conflict", err)
	}
	if err := f.st.PromoteModelShadow(ctx, sh.ID, last); triage.ErrorCode(err) != triage.ECONFLICT {
		t.Errorf("promoting the ended shadow in the store: %v, want a conflict", err)
	}
	if n, err := f.st.AdminAudit(ctx, triage.AuditSubjectModel); err != nil || len(n) != len(audit) {
		t.Errorf("the refused promotions left audit rows: %d, was %d (%v)", len(n), len(audit), err)
	}
	// The former active model, shadowed and discarded.
	back, err := f.svc.StartModelShadow(ctx, admin, f.data.active.Version, "compare again")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.DiscardModelShadow(ctx, admin, back.ID, "enough"); err != nil {
		t.Fatal(err)
	}
	if v, _ := f.st.ActiveModelVersion(ctx); v != f.data.candidate.Version || f.svc.RunningModelShadow() != nil {
		t.Errorf("after a discard the active model is %s, running %v", v, f.svc.RunningModelShadow())
	}
	audit, err = f.st.AdminAudit(ctx, triage.AuditSubjectModel)
	if err != nil {
		t.Fatal(err)
	}
	if last := audit[len(audit)-1]; last.Action != triage.AuditModelShadowDiscarded || last.Detail["shadow_id"] != float64(back.ID) {
		t.Errorf("discard audit row %+v", last)
	}
	if err := replica.RefreshPolicy(ctx); err != nil || replica.RunningModelShadow() != nil {
		t.Errorf("the replica still runs %+v after the discard (%v)", replica.RunningModelShadow(), err)
	}
}

package triage_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/embeddings"
	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
	"github.com/billtriage/billtriage/triage/postgres/pgtest"
)

var day0 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func ev(to string, at time.Time, reversed *time.Time) triage.Evidence {
	return triage.Evidence{Correction: triage.Correction{Field: "account_id", Key: "acct_217", To: to, ReversedAt: reversed}, At: at}
}

func times(n int, to string) []triage.Evidence {
	var out []triage.Evidence
	for i := range n {
		out = append(out, ev(to, day0.AddDate(0, 0, i), nil))
	}
	return out
}

func TestRankUsesALowerBoundNotTheShare(t *testing.T) {
	cfg := triage.EnrichConfig{Z: 1.645, ReversalWeight: 3, MinAfterReversal: 3} // no decay
	at := day0.AddDate(1, 0, 0)
	once := cfg.Rank("account_id", "acct_217", times(1, "C-1"), at, triage.Prior{})
	forty := cfg.Rank("account_id", "acct_217", times(40, "C-1"), at, triage.Prior{})
	if once[0].Confidence > 0.3 || forty[0].Confidence < 0.9 {
		t.Errorf("seen once %.3f (want ≤ 0.3), seen 40 times %.3f (want ≥ 0.9)", once[0].Confidence, forty[0].Confidence)
	}
	// With the field's prior (repeated keys kept their target 98 times
	// in 100), a key seen three times is credible, but still below one
	// seen forty times, and a runner-up gets no help from the prior.
	prior := triage.FieldPrior(98, 100)
	three := cfg.Rank("account_id", "acct_217", times(3, "C-1"), at, prior)
	fortyP := cfg.Rank("account_id", "acct_217", times(40, "C-1"), at, prior)
	if three[0].Confidence < 0.75 || three[0].Confidence >= fortyP[0].Confidence {
		t.Errorf("with the prior: seen 3 times %.3f, 40 times %.3f", three[0].Confidence, fortyP[0].Confidence)
	}
	split := cfg.Rank("account_id", "acct_217", append(times(3, "C-1"), times(2, "C-2")...), at, prior)
	if split[1].Confidence > 0.3 {
		t.Errorf("a runner-up borrowed the prior: %+v", split[1])
	}
	mixed := cfg.Rank("account_id", "acct_217", append(times(30, "C-1"), times(10, "C-2")...), at, triage.Prior{})
	if mixed[0].To != "C-1" || mixed[0].Confidence > 0.75 || mixed[1].To != "C-2" {
		t.Errorf("conflicting history: %+v", mixed)
	}
	future := cfg.Rank("account_id", "acct_217", times(5, "C-1"), day0.AddDate(0, 0, 2), triage.Prior{})
	if future[0].Seen != 3 {
		t.Errorf("evidence from after the scoring time counted: seen %d, want 3", future[0].Seen)
	}
}

func TestRankDecaysOldMappings(t *testing.T) {
	cfg := triage.DefaultEnrich
	// a customer migrated: 20 old mappings to C-1, then 6 recent to C-9
	hist := times(20, "C-1")
	for i := range 6 {
		hist = append(hist, ev("C-9", day0.AddDate(2, 0, i), nil))
	}
	got := cfg.Rank("account_id", "acct_217", hist, day0.AddDate(2, 0, 10), triage.Prior{})
	if got[0].To != "C-9" {
		t.Errorf("after migration the recent mapping should lead: %+v", got)
	}
}

func TestReversalBlocksUntilNewEvidence(t *testing.T) {
	cfg := triage.DefaultEnrich
	rev := day0.AddDate(0, 1, 0)
	hist := append(times(30, "C-1"), ev("C-1", rev, &rev))
	at := rev.Add(time.Hour)
	if got := cfg.Rank("account_id", "acct_217", hist, at, triage.Prior{})[0]; got.Blocked == "" {
		t.Fatalf("a reversed mapping must not be applied again at once: %+v", got)
	}
	for i := range 3 {
		hist = append(hist, ev("C-1", rev.AddDate(0, 0, i+1), nil))
	}
	if got := cfg.Rank("account_id", "acct_217", hist, rev.AddDate(0, 0, 5), triage.Prior{})[0]; got.Blocked != "" {
		t.Errorf("three fresh confirmations should outweigh the reversal: %+v", got)
	}
}

// mapping is one account_id correction the history holds: key mapped to
// to, resolved on day of the history.
type mapping struct {
	day     int
	key, to string
}

// setupMappings imports a usage history of one resolution per mapping,
// each correcting account_id, into a service on a fresh schema.
func setupMappings(t *testing.T, ms []mapping) (*triage.Service, *postgres.Store) {
	t.Helper()
	db := pgtest.Open(t)
	emb, _ := embeddings.NewLocal(256)
	ctx := context.Background()
	st := postgres.NewStore(db)
	if err := db.EnsureIndex(ctx, emb.Name(), emb.Dims()); err != nil {
		t.Fatal(err)
	}
	svc := triage.NewService(triage.Config{Store: st, Embedder: emb, Now: func() time.Time { return day0.AddDate(1, 0, 0) }})
	hist := make([]triage.Resolution, len(ms))
	for i, m := range ms {
		hist[i] = triage.Resolution{ExternalID: fmt.Sprintf("h%d", m.day), Type: triage.UsageMismatch,
			Text:      fmt.Sprintf("Usage events for unknown account %s rejected by rating: no customer mapping", m.key),
			RootCause: "unmapped_usage_account", Action: "map_usage_account", Queue: triage.QueueRevOps,
			Params:     map[string]any{"corrections": []any{map[string]any{"field": "account_id", "key": m.key, "from": m.key, "to": m.to}}},
			OccurredAt: day0.AddDate(0, 0, m.day), ResolvedAt: day0.AddDate(0, 0, m.day)}
	}
	if err := svc.ImportHistory(ctx, hist); err != nil {
		t.Fatal(err)
	}
	return svc, st
}

// setupEnrich imports a usage history where acct_217 maps to C-1106 many
// times, acct_300 was mapped to two customers, and acct_555 once.
func setupEnrich(t *testing.T) (*triage.Service, *postgres.Store) {
	t.Helper()
	var ms []mapping
	for i := range 30 {
		ms = append(ms, mapping{i, "acct_217", "C-1106"})
	}
	for i := range 6 {
		ms = append(ms, mapping{100 + i, "acct_300", []string{"C-3000", "C-3001"}[i%2]})
	}
	return setupMappings(t, append(ms, mapping{200, "acct_555", "C-5550"}))
}

func usage(id, key string) triage.Exception {
	return triage.Exception{Source: "usage-pipeline", ExternalID: id, Type: triage.UsageMismatch, OccurredAt: day0.AddDate(0, 11, 0),
		Text:       fmt.Sprintf("Usage events for unknown account %s rejected by rating: no customer mapping", key),
		Attributes: map[string]any{"account_key": key, "meter": "api_calls"}}
}

func TestEnrichmentExactFuzzyConflictingAndRevert(t *testing.T) {
	svc, st := setupEnrich(t)
	ctx := context.Background()
	subs, err := svc.Submit(ctx, admin, []triage.Exception{usage("u1", "acct_217"), usage("u2", "acct_300"), usage("u3", "acct_2170"), usage("u4", "acct_555")})
	if err != nil {
		t.Fatal(err)
	}
	exact, conflict, fuzzy, rare := subs[0], subs[1], subs[2], subs[3]
	if exact.Exception.Status != triage.StatusAutoEnriched || exact.Exception.Attributes["account_id"] != "C-1106" {
		t.Fatalf("exact history: %s %v %v", exact.Exception.Status, exact.Exception.Attributes, exact.Decision.Reasons)
	}
	for name, s := range map[string]triage.Submission{"conflicting": conflict, "unseen look-alike": fuzzy, "seen once": rare} {
		if s.Exception.Status != triage.StatusQueued || s.Exception.Queue != triage.QueueRevOps || s.Exception.Attributes["account_id"] != nil {
			t.Errorf("%s: %s in %s, attributes %v", name, s.Exception.Status, s.Exception.Queue, s.Exception.Attributes)
		}
		if len(s.Decision.Enrichments) != 1 || len(s.Decision.Enrichments[0].Candidates) == 0 {
			t.Errorf("%s: no candidates for the reviewer: %+v", name, s.Decision.Enrichments)
		}
	}
	if c := fuzzy.Decision.Enrichments[0].Candidates[0]; c.To != "C-1106" || !strings.Contains(c.Source, "acct_217") || c.Confidence != 0 {
		t.Errorf("fuzzy candidate %+v", c)
	}
	audit, _ := st.Audit(ctx, exact.Exception.ID)
	if !hasAction(audit, triage.AuditCorrected) {
		t.Errorf("no %q audit row: %+v", triage.AuditCorrected, audit)
	}

	// A person reverts: values restored, the mapping now blocked.
	ex, err := svc.Revert(ctx, admin, exact.Exception.ID, "acct_217 belongs to the subsidiary now")
	if err != nil {
		t.Fatal(err)
	}
	if ex.Status != triage.StatusQueued || ex.Attributes["account_id"] != nil || ex.Attributes["account_key"] != "acct_217" {
		t.Errorf("after revert: %s %v", ex.Status, ex.Attributes)
	}
	if _, err := svc.Revert(ctx, admin, exact.Exception.ID, "again"); triage.ErrorCode(err) != triage.ECONFLICT {
		t.Errorf("second revert: %v", err)
	}
	again, err := svc.Submit(ctx, admin, []triage.Exception{usage("u5", "acct_217")})
	if err != nil {
		t.Fatal(err)
	}
	if again[0].Exception.Status == triage.StatusAutoEnriched || again[0].Exception.Attributes["account_id"] != nil {
		t.Errorf("a reverted mapping was applied again: %v", again[0].Decision.Reasons)
	}
	audit, _ = st.Audit(ctx, exact.Exception.ID)
	if !hasAction(audit, triage.AuditReverted) {
		t.Errorf("no revert audit row")
	}
}

func TestReviewerPickBecomesEvidence(t *testing.T) {
	svc, st := setupEnrich(t)
	ctx := context.Background()
	subs, err := svc.Submit(ctx, admin, []triage.Exception{usage("p1", "acct_555")})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = svc.Resolve(ctx, admin, subs[0].Exception.ID, triage.ResolutionInput{Verdict: triage.VerdictAccept,
		Params: map[string]any{"corrections": []any{map[string]any{"field": "account_id", "key": "acct_555", "from": "acct_555", "to": "C-5550"}}}})
	if err != nil {
		t.Fatal(err)
	}
	ev, err := st.Evidence(ctx, "account_id", "acct_555")
	if err != nil || len(ev) != 2 || ev[1].By != admin.Actor() {
		t.Errorf("evidence after the pick: %+v %v", ev, err)
	}
}

func hasAction(audit []triage.AuditEntry, action string) bool {
	for _, a := range audit {
		if a.Action == action {
			return true
		}
	}
	return false
}

// A customer migrated ids: acct_2 moved from C-1 to C-9. acct_1 still
// points at C-1 in its own history, which is now stale: a person decides,
// and C-9 is offered.
func TestMigrationSeenOnAnotherKeyBlocksTheStaleMapping(t *testing.T) {
	db := pgtest.Open(t)
	emb, _ := embeddings.NewLocal(256)
	ctx := context.Background()
	st := postgres.NewStore(db)
	if err := db.EnsureIndex(ctx, emb.Name(), emb.Dims()); err != nil {
		t.Fatal(err)
	}
	svc := triage.NewService(triage.Config{Store: st, Embedder: emb, Now: func() time.Time { return day0.AddDate(0, 6, 0) }})
	var hist []triage.Resolution
	add := func(i int, key, to string, at time.Time) {
		hist = append(hist, triage.Resolution{ExternalID: fmt.Sprintf("m%d", i), Type: triage.UsageMismatch,
			Text:      fmt.Sprintf("Usage events for unknown account %s rejected by rating: no customer mapping", key),
			RootCause: "unmapped_usage_account", Action: "map_usage_account", Queue: triage.QueueRevOps,
			Params:     map[string]any{"corrections": []any{map[string]any{"field": "account_id", "key": key, "to": to}}},
			OccurredAt: at, ResolvedAt: at})
	}
	for i := range 20 {
		add(i, "acct_1", "C-1", day0.AddDate(0, 0, i))
	}
	for i := range 5 {
		add(100+i, "acct_2", "C-1", day0.AddDate(0, 0, i))
		add(200+i, "acct_2", "C-9", day0.AddDate(0, 3, i))
	}
	if err := svc.ImportHistory(ctx, hist); err != nil {
		t.Fatal(err)
	}
	subs, err := svc.Submit(ctx, admin, []triage.Exception{usage("mig", "acct_1")})
	if err != nil {
		t.Fatal(err)
	}
	s := subs[0]
	if s.Exception.Status != triage.StatusQueued || s.Exception.Attributes["account_id"] != nil {
		t.Fatalf("stale mapping applied: %s %v", s.Exception.Status, s.Decision.Reasons)
	}
	cands := s.Decision.Enrichments[0].Candidates
	if cands[0].Blocked == "" || !hasTarget(cands, "C-9") {
		t.Errorf("candidates %+v", cands)
	}
}

func hasTarget(cs []triage.Candidate, to string) bool {
	for _, c := range cs {
		if c.To == to {
			return true
		}
	}
	return false
}

// Money moves only by a person's hand: even a correction seen thirty
// times and never contradicted is not applied to a money-moving field.
func TestMoneyFieldsAreNeverCorrectedAutomatically(t *testing.T) {
	db := pgtest.Open(t)
	emb, _ := embeddings.NewLocal(256)
	ctx := context.Background()
	st := postgres.NewStore(db)
	if err := db.EnsureIndex(ctx, emb.Name(), emb.Dims()); err != nil {
		t.Fatal(err)
	}
	pol := triage.DefaultPolicy()
	pol.EnrichmentThresholds["unit_price"] = 0.1 // a careless policy cannot override money_fields
	if th := pol.EnrichThreshold("unit_price"); !math.IsInf(th, 1) {
		t.Fatalf("money field threshold %v, want +Inf", th)
	}
	svc := triage.NewService(triage.Config{Store: st, Embedder: emb, Policy: pol, Now: func() time.Time { return day0.AddDate(1, 0, 0) }})
	var hist []triage.Resolution
	for i := range 30 {
		hist = append(hist, triage.Resolution{ExternalID: fmt.Sprintf("p%d", i), Type: triage.PricingDiscrepancy,
			Text:      "Invoice priced from the old price book for subscription SUB-1, unit price wrong",
			RootCause: "wrong_price_book", Action: "switch_price_book", Queue: triage.QueueRevOps,
			Params:     map[string]any{"corrections": []any{map[string]any{"field": "price_book", "key": "SUB-1", "to": "PB-2025"}, map[string]any{"field": "unit_price", "key": "SUB-1", "to": "12.50"}}},
			OccurredAt: day0.AddDate(0, 0, i), ResolvedAt: day0.AddDate(0, 0, i)})
	}
	if err := svc.ImportHistory(ctx, hist); err != nil {
		t.Fatal(err)
	}
	ex := triage.Exception{Source: "billing-api", ExternalID: "money", Type: triage.PricingDiscrepancy, OccurredAt: day0.AddDate(0, 11, 0),
		Text:       "Invoice priced from the old price book for subscription SUB-1, unit price wrong",
		Attributes: map[string]any{"subscription": "SUB-1", "price_book": "PB-2024", "unit_price": "10.00"}}
	subs, err := svc.Submit(ctx, admin, []triage.Exception{ex})
	if err != nil {
		t.Fatal(err)
	}
	got := subs[0].Exception
	if got.Attributes["unit_price"] != "10.00" {
		t.Errorf("a money-moving field was changed automatically: %v", got.Attributes)
	}
	if got.Status == triage.StatusAutoEnriched {
		t.Errorf("a case that needs a money field corrected was automated: %v", subs[0].Decision.Reasons)
	}
}

// Issue 17: three look-alike keys that all map to one customer made the
// reason list that customer three times with a meaningless score 0.00.
// The sentence names each target once, without a score for look-alikes;
// the candidates themselves stay listed, each with its own source.
func TestLookAlikeCandidatesAreNamedOnceInTheReason(t *testing.T) {
	var ms []mapping
	for i, key := range []string{"acct_217", "acct_2171", "acct_2172"} {
		for j := range 3 {
			ms = append(ms, mapping{10*i + j, key, "C-1106"})
		}
	}
	svc, _ := setupMappings(t, ms)
	subs, err := svc.Submit(context.Background(), admin, []triage.Exception{usage("look", "acct_2179")})
	if err != nil {
		t.Fatal(err)
	}
	d := subs[0].Decision
	if len(d.Enrichments) != 1 || len(d.Enrichments[0].Candidates) < 2 {
		t.Fatalf("want several look-alike candidates for the reviewer, got %+v", d.Enrichments)
	}
	var reason string
	for _, r := range d.Reasons {
		if strings.Contains(r, "never seen before") {
			reason = r
		}
	}
	if reason == "" {
		t.Fatalf("no reason about the unseen key in %q", d.Reasons)
	}
	if n := strings.Count(reason, "C-1106"); n != 1 {
		t.Errorf("the reason names C-1106 %d times: %q", n, reason)
	}
	if strings.Contains(reason, "0.00") {
		t.Errorf("the reason shows a look-alike's zero score: %q", reason)
	}
}

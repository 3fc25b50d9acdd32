package postgres_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
	"github.com/billtriage/billtriage/triage/postgres/pgtest"
)

const dims = 16

func setup(t *testing.T) (*postgres.DB, *postgres.Store) {
	t.Helper()
	db := pgtest.Open(t)
	if err := db.EnsureIndex(context.Background(), "test-emb", dims); err != nil {
		t.Fatalf("EnsureIndex: %v", err)
	}
	return db, postgres.NewStore(db)
}

// unit returns a deterministic unit vector near direction axis.
func unit(r *rand.Rand, axis int, noise float64) []float32 {
	v := make([]float32, dims)
	var n float64
	for i := range v {
		x := noise * (r.Float64()*2 - 1)
		if i == axis {
			x += 1
		}
		v[i] = float32(x)
		n += x * x
	}
	for i := range v {
		v[i] /= float32(math.Sqrt(n))
	}
	return v
}

func exception(ext string, typ triage.Type, amount float64) triage.Exception {
	return triage.Exception{Source: "test", ExternalID: ext, Type: typ, Text: "text of " + ext,
		OccurredAt: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), Amount: &amount, Currency: "USD",
		Attributes: map[string]any{"k": "v"}}
}

func TestCreateExceptionsIsIdempotent(t *testing.T) {
	_, st := setup(t)
	ctx := context.Background()
	first, err := st.CreateExceptions(ctx, []triage.Exception{exception("a", triage.UsageMismatch, 10), exception("b", triage.TaxInconsistency, 20)})
	if err != nil {
		t.Fatal(err)
	}
	again, err := st.CreateExceptions(ctx, []triage.Exception{exception("b", triage.TaxInconsistency, 20), exception("c", triage.Other, 1)})
	if err != nil {
		t.Fatal(err)
	}
	if !first[0].Created || !first[1].Created || again[0].Created || !again[1].Created {
		t.Fatalf("created flags: first %v %v, again %v %v", first[0].Created, first[1].Created, again[0].Created, again[1].Created)
	}
	if again[0].Exception.ID != first[1].Exception.ID {
		t.Errorf("repeat got id %d, want %d", again[0].Exception.ID, first[1].Exception.ID)
	}
	got, err := st.Exception(ctx, first[0].Exception.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Attributes["k"] != "v" || *got.Amount != 10 || got.Status != triage.StatusReceived {
		t.Errorf("stored exception = %+v", got)
	}
	audit, err := st.Audit(ctx, got.ID)
	if err != nil || len(audit) != 1 || audit[0].Action != triage.AuditReceived {
		t.Errorf("audit = %+v, %v", audit, err)
	}
}

func TestNotFoundIsTranslated(t *testing.T) {
	_, st := setup(t)
	_, err := st.Exception(context.Background(), 424242)
	if code := triage.ErrorCode(err); code != triage.ENOTFOUND {
		t.Fatalf("code = %q (%v), want not_found", code, err)
	}
	_, err = st.LatestDecision(context.Background(), 424242)
	if code := triage.ErrorCode(err); code != triage.ENOTFOUND {
		t.Fatalf("decision code = %q, want not_found", code)
	}
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	db, st := setup(t)
	ctx := context.Background()
	res, err := st.CreateExceptions(ctx, []triage.Exception{exception("a", triage.Other, 1)})
	if err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{"UPDATE audit_log SET actor = 'mallory'", "DELETE FROM audit_log", "TRUNCATE audit_log"} {
		if _, err := db.Pool.Exec(ctx, sql); err == nil {
			t.Errorf("%s succeeded; the audit log must refuse it", sql)
		}
	}
	audit, _ := st.Audit(ctx, res[0].Exception.ID)
	if len(audit) != 1 || audit[0].Actor != triage.SystemActor {
		t.Errorf("audit changed: %+v", audit)
	}
}

// A rare type must still get K neighbours through the HNSW index: pgvector
// 0.8's iterative scan keeps walking the graph past the filtered-out rows.
func TestNearestFilteredByTypeReturnsK(t *testing.T) {
	_, st := setup(t)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(1, 2))
	var rs []triage.Resolution
	for i := range 3000 {
		typ, axis := triage.UsageMismatch, i%4
		if i%100 == 0 {
			typ, axis = triage.TaxInconsistency, 7
		}
		rs = append(rs, triage.Resolution{ExternalID: fmt.Sprint(i), Type: typ, Text: "t", RootCause: fmt.Sprintf("rc%d", axis),
			Action: "act", Queue: triage.QueueRevOps, Verdict: triage.VerdictImported, OccurredAt: time.Unix(0, 0),
			ResolvedAt: time.Unix(int64(i), 0), Embedder: "test-emb", Vector: unit(r, axis, 0.3)})
	}
	if err := st.AddResolutions(ctx, rs); err != nil { // a load this size refreshes the statistics
		t.Fatal(err)
	}
	q := unit(r, 0, 0.1) // close to the usage rows, far from the tax ones
	got, err := st.Nearest(ctx, triage.NearestQuery{Vector: q, Embedder: "test-emb", Type: triage.TaxInconsistency, K: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 10 {
		t.Fatalf("got %d neighbours, want 10", len(got))
	}
	for i, n := range got {
		if n.Type != triage.TaxInconsistency {
			t.Errorf("neighbour %d has type %s", i, n.Type)
		}
		if i > 0 && n.Similarity > got[i-1].Similarity+1e-9 {
			t.Errorf("neighbours not sorted by similarity at %d", i)
		}
	}
	all, err := st.Nearest(ctx, triage.NearestQuery{Vector: q, Embedder: "test-emb", K: 5})
	if err != nil || len(all) != 5 || all[0].RootCause != "rc0" || all[0].Similarity < 0.8 {
		t.Errorf("unfiltered = %+v, %v", all, err)
	}
	other, err := st.Nearest(ctx, triage.NearestQuery{Vector: q, Embedder: "other-emb", K: 5})
	if err != nil || len(other) != 0 {
		t.Errorf("another embedder's vectors were compared: %d rows, %v", len(other), err)
	}
	before, err := st.Nearest(ctx, triage.NearestQuery{Vector: q, Embedder: "test-emb", K: 50, Before: time.Unix(100, 0)})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range before {
		if !n.ResolvedAt.Before(time.Unix(100, 0)) {
			t.Errorf("Before filter let through a resolution at %v", n.ResolvedAt)
		}
	}
}

func TestNearestUsesTheHNSWIndex(t *testing.T) {
	db, _ := setup(t)
	checkPlanUsesHNSW(t, db, triage.UsageMismatch)
}

// checkPlanUsesHNSW fails unless the planner answers Nearest's own
// statement for type typ of the test embedder from that type's HNSW index.
func checkPlanUsesHNSW(t *testing.T, db *postgres.DB, typ triage.Type) {
	t.Helper()
	q := make([]float32, dims)
	for i := range q {
		q[i] = 0.25
	}
	sql, args, err := postgres.NearestSQL(triage.NearestQuery{Vector: q, Embedder: "test-emb", Type: typ, K: 10})
	if err != nil {
		t.Fatal(err)
	}
	var plan string
	rows, err := db.Pool.Query(context.Background(), "EXPLAIN "+sql, args...)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan += line + "\n"
	}
	if want := "_" + string(typ); !strings.Contains(plan, "Index Scan using resolutions_hnsw_") || !strings.Contains(plan, want) {
		t.Errorf("plan does not scan the HNSW index of %s:\n%s", typ, plan)
	}
}

func TestQueueOrderAndCursor(t *testing.T) {
	_, st := setup(t)
	ctx := context.Background()
	var exs []triage.Exception
	for i := range 7 {
		exs = append(exs, exception(fmt.Sprint(i), triage.ERPPostingFailure, float64(i)))
	}
	res, err := st.CreateExceptions(ctx, exs)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range res {
		e := c.Exception
		e.Status, e.Queue, e.SortKey = triage.StatusQueued, triage.QueueFinance, float64(i%4)
		if _, err := st.SaveDecision(ctx, e, triage.Decision{ExceptionID: e.ID, Outcome: triage.OutcomeQueue, DecidedAt: time.Now()}, nil); err != nil {
			t.Fatal(err)
		}
	}
	var seen []int64
	cursor := ""
	for page := 0; ; page++ {
		p, err := st.Queue(ctx, triage.QueueQuery{Queue: triage.QueueFinance, Limit: 3, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range p.Items {
			seen = append(seen, it.ID)
		}
		if cursor = p.NextCursor; cursor == "" {
			break
		}
	}
	// sort keys by index: 0 1 2 3 0 1 2 → order 3(id4), 2(id7), 2(id3), 1(id6), 1(id2), 0(id5), 0(id1)
	ids := func(i ...int) []int64 {
		var out []int64
		for _, x := range i {
			out = append(out, res[x].Exception.ID)
		}
		return out
	}
	want := ids(3, 6, 2, 5, 1, 4, 0)
	if fmt.Sprint(seen) != fmt.Sprint(want) {
		t.Errorf("queue order %v, want %v", seen, want)
	}
	if _, err := st.Queue(ctx, triage.QueueQuery{Queue: triage.QueueFinance, Cursor: "garbage!"}); triage.ErrorCode(err) != triage.EINVALID {
		t.Errorf("bad cursor: %v", err)
	}
}

func TestSaveResolutionRefusesClosedException(t *testing.T) {
	_, st := setup(t)
	ctx := context.Background()
	res, err := st.CreateExceptions(ctx, []triage.Exception{exception("a", triage.Other, 1)})
	if err != nil {
		t.Fatal(err)
	}
	e := res[0].Exception
	e.Status = triage.StatusQueued
	if _, err := st.SaveDecision(ctx, e, triage.Decision{ExceptionID: e.ID, Outcome: triage.OutcomeQueue, DecidedAt: time.Now()}, nil); err != nil {
		t.Fatal(err)
	}
	r := triage.Resolution{ExceptionID: &e.ID, Type: e.Type, Text: e.Text, RootCause: "x", Action: "y", Verdict: triage.VerdictEdit,
		OccurredAt: e.OccurredAt, ResolvedAt: time.Now(), Embedder: "test-emb", Vector: unit(rand.New(rand.NewPCG(1, 1)), 1, 0)}
	e.Status = triage.StatusResolved
	audit := triage.AuditEntry{ExceptionID: e.ID, At: time.Now(), Actor: "ana", Action: triage.AuditResolved}
	if _, err := st.SaveResolution(ctx, e, r, audit); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SaveResolution(ctx, e, r, audit); triage.ErrorCode(err) != triage.ECONFLICT {
		t.Fatalf("second resolution: %v, want conflict", err)
	}
}

func TestVersionAtLeast(t *testing.T) {
	for _, tc := range []struct {
		v    string
		want bool
	}{{"0.8.2", true}, {"0.8.1", false}, {"0.8.0", false}, {"0.9.0", true}, {"1.0", true}, {"0.8", false}, {"x", false}, {"0.10.0", true}} {
		if got := postgres.VersionAtLeast(tc.v, 0, 8, 2); got != tc.want {
			t.Errorf("VersionAtLeast(%q, 0.8.2) = %v, want %v", tc.v, got, tc.want)
		}
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	schema := pgtest.NewSchemaName("m")
	ctx := context.Background()
	for range 2 {
		if err := postgres.Migrate(ctx, pgtest.OwnerURL(), schema); err != nil {
			pgtest.Unavailable(t, err)
		}
	}
	// Migrating again through Open, as the owner, grants the service's role.
	db, err := postgres.Open(ctx, pgtest.URL(), postgres.Options{Schema: schema, Migrate: true, OwnerURL: pgtest.OwnerURL()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	defer db.DropSchema(ctx)
	if db.VectorVersion == "" || !postgres.VersionAtLeast(db.VectorVersion, 0, 8, 0) {
		t.Errorf("pgvector version %q", db.VectorVersion)
	}
}

// Identical vectors (texts differing only in ids embed alike) tie; the
// lowest ids win, so a replay always gets the same precedents.
func TestNearestBreaksTiesByID(t *testing.T) {
	_, st := setup(t)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(9, 9))
	v := unit(r, 3, 0)
	var rs []triage.Resolution
	for i := range 15 {
		rs = append(rs, triage.Resolution{ExternalID: fmt.Sprint("tie", i), Type: triage.Other, Text: "t", RootCause: "a", Action: "b",
			Verdict: triage.VerdictImported, OccurredAt: time.Unix(0, 0), ResolvedAt: time.Unix(0, 0), Embedder: "test-emb", Vector: v})
	}
	if err := st.AddResolutions(ctx, rs); err != nil {
		t.Fatal(err)
	}
	got, err := st.Nearest(ctx, triage.NearestQuery{Vector: v, Embedder: "test-emb", K: 5})
	if err != nil || len(got) != 5 {
		t.Fatalf("%d neighbours, %v", len(got), err)
	}
	for i := 1; i < len(got); i++ {
		if got[i].ResolutionID <= got[i-1].ResolutionID {
			t.Errorf("ties not ordered by id: %d after %d", got[i].ResolutionID, got[i-1].ResolutionID)
		}
	}
	if got[0].ExternalID != "tie0" || got[4].ExternalID != "tie4" {
		t.Errorf("got %s..%s, want the five oldest", got[0].ExternalID, got[4].ExternalID)
	}
}

// Look-alike keys come from correction_keys, which the trigger fills from
// every statement that writes corrections (here a resolution's): each key
// once however often it was corrected, best first, within the field, and
// never the key itself.
func TestSimilarKeysSearchesEachKnownKeyOnce(t *testing.T) {
	_, st := setup(t)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(2, 2))
	resolve := func(ext, field, key, to string) {
		t.Helper()
		res, err := st.CreateExceptions(ctx, []triage.Exception{exception(ext, triage.UsageMismatch, 1)})
		if err != nil {
			t.Fatal(err)
		}
		e := res[0].Exception
		e.Status = triage.StatusQueued
		if _, err := st.SaveDecision(ctx, e, triage.Decision{ExceptionID: e.ID, Outcome: triage.OutcomeQueue, DecidedAt: time.Now()}, nil); err != nil {
			t.Fatal(err)
		}
		e.Status = triage.StatusResolved
		res2 := triage.Resolution{ExceptionID: &e.ID, Type: e.Type, Text: e.Text, RootCause: "x", Action: "y", Verdict: triage.VerdictEdit,
			OccurredAt: e.OccurredAt, ResolvedAt: time.Now(), Embedder: "test-emb", Vector: unit(r, 1, 0.1),
			Corrections: []triage.Correction{{Field: field, Key: key, From: key, To: to}}}
		if _, err := st.SaveResolution(ctx, e, res2, triage.AuditEntry{ExceptionID: e.ID, At: time.Now(), Actor: "ana", Action: triage.AuditResolved}); err != nil {
			t.Fatal(err)
		}
	}
	resolve("a", "account_id", "acct_2170", "C-1")
	resolve("b", "account_id", "acct_2170", "C-1") // a second correction of the same key
	resolve("c", "account_id", "acct_2171", "C-2")
	resolve("d", "account_id", "zzz_999", "C-3")
	resolve("e", "gl_account", "acct_2172", "GL-1") // another field
	got, err := st.SimilarKeys(ctx, "account_id", "acct_217", 5)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, k := range got {
		keys = append(keys, k.Key)
		if k.Similarity <= 0 || k.Similarity > 1 {
			t.Errorf("%s: similarity %v", k.Key, k.Similarity)
		}
	}
	if strings.Join(keys, ",") != "acct_2170,acct_2171" {
		t.Errorf("similar keys %v, want acct_2170,acct_2171", keys)
	}
	if got, err := st.SimilarKeys(ctx, "account_id", "acct_2170", 1); err != nil || len(got) != 1 || got[0].Key != "acct_2171" {
		t.Errorf("limit 1, excluding the key itself: %+v %v", got, err)
	}
}

// A decision is saved once: a second SaveDecision of the same item, now
// decided, is a conflict and leaves no second decision, audit row or event.
func TestSaveDecisionTwiceIsAConflict(t *testing.T) {
	db, st := setup(t)
	ctx := context.Background()
	res, err := st.CreateExceptions(ctx, []triage.Exception{exception("a", triage.Other, 1)})
	if err != nil {
		t.Fatal(err)
	}
	e := res[0].Exception
	e.Status = triage.StatusQueued
	d := triage.Decision{ExceptionID: e.ID, Outcome: triage.OutcomeQueue, DecidedAt: time.Now()}
	audit := []triage.AuditEntry{{ExceptionID: e.ID, At: d.DecidedAt, Actor: triage.SystemActor, Action: triage.AuditDecided}}
	if _, err := st.SaveDecision(ctx, e, d, audit); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SaveDecision(ctx, e, d, audit); triage.ErrorCode(err) != triage.ECONFLICT {
		t.Fatalf("second decision: %v, want conflict", err)
	}
	var decisions, rows int
	if err := db.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM decisions WHERE exception_id = $1), (SELECT count(*) FROM audit_log WHERE exception_id = $1)`, e.ID).Scan(&decisions, &rows); err != nil {
		t.Fatal(err)
	}
	if decisions != 1 || rows != 2 {
		t.Errorf("%d decisions and %d audit rows, want 1 and 2 (received, decided)", decisions, rows)
	}
	missing := e
	missing.ID = e.ID + 1000
	if _, err := st.SaveDecision(ctx, missing, d, nil); triage.ErrorCode(err) != triage.ENOTFOUND {
		t.Errorf("decision of a missing item: %v, want not found", err)
	}
}

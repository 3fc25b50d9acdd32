//go:build benchtriage

package triage_test

// The per-POST profile of `make bench-triage` (issue 16): where the
// database time of one triage goes, statement by statement, counted by a
// pgx tracer on a schema the benchmark has loaded. Not a test of
// correctness, so kept out of `make test` by the build tag.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/disputes"
	"github.com/billtriage/billtriage/embeddings"
	"github.com/billtriage/billtriage/models/classify"
	"github.com/billtriage/billtriage/models/risk"
	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
)

// stmtTracer totals time and count per statement; a batch counts as one
// round trip under its first statement's name.
type stmtTracer struct {
	mu         sync.Mutex
	count      map[string]int
	total, max map[string]time.Duration
}

type traceKey struct{}

type traceStart struct {
	name string
	at   time.Time
}

var spaces = regexp.MustCompile(`\s+`)

func stmtName(sql string) string {
	s := strings.TrimSpace(spaces.ReplaceAllString(sql, " "))
	if len(s) > 70 {
		s = s[:70]
	}
	return s
}

func (t *stmtTracer) start(ctx context.Context, name string) context.Context {
	return context.WithValue(ctx, traceKey{}, traceStart{name, time.Now()})
}

func (t *stmtTracer) end(ctx context.Context) {
	st, ok := ctx.Value(traceKey{}).(traceStart)
	if !ok {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	took := time.Since(st.at)
	t.count[st.name]++
	t.total[st.name] += took
	t.max[st.name] = max(t.max[st.name], took)
}

func (t *stmtTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	return t.start(ctx, stmtName(d.SQL))
}

func (t *stmtTracer) TraceQueryEnd(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryEndData) {
	t.end(ctx)
}

func (t *stmtTracer) TraceBatchStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceBatchStartData) context.Context {
	name := "batch"
	if d.Batch != nil && len(d.Batch.QueuedQueries) > 0 {
		name = fmt.Sprintf("batch of %d: %s", len(d.Batch.QueuedQueries), stmtName(d.Batch.QueuedQueries[0].SQL))
	}
	return t.start(ctx, name)
}

func (t *stmtTracer) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}

func (t *stmtTracer) TraceBatchEnd(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchEndData) {
	t.end(ctx)
}

// TestProfileTriage submits BENCH_TRIAGE_PROFILE_N exceptions one at a
// time to a service on the loaded schema BENCH_TRIAGE_PROFILE_SCHEMA and
// prints, per statement, round trips and milliseconds per POST.
func TestProfileTriage(t *testing.T) {
	url, schema, fresh := os.Getenv("BENCH_TRIAGE_APP_URL"), os.Getenv("BENCH_TRIAGE_PROFILE_SCHEMA"), os.Getenv("BENCH_TRIAGE_FRESH")
	if url == "" || schema == "" || fresh == "" {
		t.Skip("BENCH_TRIAGE_APP_URL, BENCH_TRIAGE_PROFILE_SCHEMA and BENCH_TRIAGE_FRESH: run scripts/bench-triage.sh")
	}
	ctx := context.Background()
	tr := &stmtTracer{count: map[string]int{}, total: map[string]time.Duration{}, max: map[string]time.Duration{}}
	db, err := postgres.Open(ctx, url, postgres.Options{Schema: schema, Tracer: tr})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	emb, err := embeddings.NewLocal(512)
	if err != nil {
		t.Fatal(err)
	}
	st := postgres.NewStore(db)
	// The classifier serve would load: the models load stored.
	clf := &classify.Learner{Registry: storedModels{st}}
	if err := clf.TrainAll(ctx); err != nil {
		t.Fatal(err)
	}
	svc := triage.NewService(triage.Config{Store: st, Embedder: emb, Risk: &risk.Scorer{Invoices: st, Registry: st}, Prepare: disputes.PrepareText, Classifier: clf})
	f, err := os.Open(filepath.Join(fresh, "exceptions.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var exs []triage.Exception
	if _, err := dataset.ReadRecords(f, func(rec dataset.Record) error {
		exs = append(exs, rec.Exception())
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	run := time.Now().UnixNano()
	post := func(i int) {
		ex := exs[i%len(exs)]
		ex.Source, ex.ExternalID = "bench-profile", fmt.Sprintf("%d-%d", run, i)
		if _, err := svc.Submit(ctx, admin, []triage.Exception{ex}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 50 { // warm the statement cache and the service's caches
		post(i)
	}
	tr.mu.Lock()
	tr.count, tr.total, tr.max = map[string]int{}, map[string]time.Duration{}, map[string]time.Duration{}
	tr.mu.Unlock()
	n := 300
	if v := os.Getenv("BENCH_TRIAGE_PROFILE_N"); v != "" {
		fmt.Sscan(v, &n)
	}
	t0 := time.Now()
	lat := make([]time.Duration, n)
	for i := range n {
		t1 := time.Now()
		post(50 + i)
		lat[i] = time.Since(t1)
	}
	wall := time.Since(t0)
	slices.Sort(lat)
	names := make([]string, 0, len(tr.count))
	trips, dbTime := 0, time.Duration(0)
	for k, c := range tr.count {
		names = append(names, k)
		trips += c
		dbTime += tr.total[k]
	}
	slices.SortFunc(names, func(a, b string) int { return int(tr.total[b] - tr.total[a]) })
	var b strings.Builder
	fmt.Fprintf(&b, "\n%d POSTs: %.2f ms each (p50 %.2f, p99 %.2f), of which database %.2f ms in %.1f round trips\n\n| statement | round trips / POST | ms / POST | ms each | slowest ms |\n|---|---:|---:|---:|---:|\n",
		n, ms(wall)/float64(n), ms(lat[n/2]), ms(lat[n*99/100]), ms(dbTime)/float64(n), float64(trips)/float64(n))
	for _, k := range names {
		fmt.Fprintf(&b, "| `%s` | %.2f | %.3f | %.3f | %.1f |\n", strings.ReplaceAll(k, "|", `\|`), float64(tr.count[k])/float64(n), ms(tr.total[k])/float64(n), ms(tr.total[k])/float64(tr.count[k]), ms(tr.max[k]))
	}
	t.Log(b.String())
}

// storedModels is a read-only classify.Registry over the models `load`
// stored (embedder "" as serve keys them without classifier embeddings).
type storedModels struct{ st *postgres.Store }

func (r storedModels) Latest(ctx context.Context, t triage.Type, settings string, after int64) (classify.StoredModel, error) {
	m, err := r.st.LatestClassifier(ctx, postgres.ClassifierKey{Type: t, Config: settings}, after)
	return classify.StoredModel{Version: m.Version, TrainedOn: m.TrainedOn, Body: m.Body}, err
}

func (r storedModels) Save(context.Context, triage.Type, string, classify.StoredModel) (int64, error) {
	return 0, triage.Errorf(triage.EINTERNAL, "the profile stores no model: run load first")
}

func (r storedModels) Count(ctx context.Context, t triage.Type) (int, error) {
	return r.st.TypeResolutionCount(ctx, t)
}

func (r storedModels) RequestRetrain(context.Context, triage.Type, string) error { return nil }

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

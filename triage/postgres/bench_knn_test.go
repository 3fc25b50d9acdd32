//go:build benchknn

// TestBenchKNN measures the history's nearest-neighbour search
// (issue 16, `make bench-knn`): for a sample of queries of each type it
// times Store.Nearest, the path triage takes, and compares its top K with
// an exact search of the same rows, by id and counting ties. Adversarial
// queries embed one type's text and search it under another type, far
// from that type's region, where a filtered HNSW scan discards most of
// what it visits.
//
// It only reads: the history is loaded beforehand (scripts/bench-knn.sh).
package postgres_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pgvector/pgvector-go"

	"github.com/billtriage/billtriage/embeddings"
	"github.com/billtriage/billtriage/triage"
	"github.com/billtriage/billtriage/triage/postgres"
)

// query is one search: a vector of type from, searched under type under.
type query struct {
	from, under triage.Type
	vec         []float32
}

// result is what one query measured.
type result struct {
	q          query
	latency    time.Duration
	exact      time.Duration
	raw        time.Duration // the statement alone: the anchor
	byID, ties float64       // recall@K
}

// exactSQL is the exact search: the same rows as Nearest's, every one
// measured (index scans are off on its connection), ordered by (distance,
// id) like Nearest's own re-ranking.
const exactSQL = `SELECT id, 1 - (embedding::vector(%[1]d) <=> $1::vector(%[1]d))
	FROM resolutions WHERE embedder = $2 AND type = $3
	ORDER BY embedding::vector(%[1]d) <=> $1::vector(%[1]d), id LIMIT $4`

// TestBenchKNN is `make bench-knn`'s measurement (scripts/bench-knn.sh
// runs it with -tags benchknn); a test so that only triage/postgres reaches
// the database directly. Its inputs come from the environment:
// DATABASE_URL, BILLTRIAGE_SCHEMA, BENCH_KNN_QUERIES (required),
// BENCH_KNN_PER_TYPE (100), BENCH_KNN_FAR (30), BENCH_KNN_K (10),
// BENCH_KNN_DIMS (512) and BENCH_KNN_EF (the store's ef_search; 0 for its
// default).
func TestBenchKNN(t *testing.T) {
	n := func(name string, def int) int {
		if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
			return v
		}
		return def
	}
	file := os.Getenv("BENCH_KNN_QUERIES")
	if file == "" {
		t.Fatal("BENCH_KNN_QUERIES names the query file; run make bench-knn")
	}
	if err := run(os.Getenv("DATABASE_URL"), os.Getenv("BILLTRIAGE_SCHEMA"), file, n("BENCH_KNN_PER_TYPE", 100),
		n("BENCH_KNN_FAR", 30), n("BENCH_KNN_K", 10), n("BENCH_KNN_DIMS", 512), n("BENCH_KNN_EF", 0)); err != nil {
		t.Fatal(err)
	}
}

func run(url, schema, file string, perType, far, k, dims, efSearch int) error {
	ctx := context.Background()
	emb, err := embeddings.NewLocal(dims)
	if err != nil {
		return err
	}
	qs, err := readQueries(ctx, file, emb, perType, far)
	if err != nil {
		return err
	}
	db, err := postgres.Open(ctx, url, postgres.Options{Schema: schema})
	if err != nil {
		return err
	}
	defer db.Close()
	db.EfSearch = efSearch
	store := postgres.NewStore(db)
	conn, err := db.Pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	// Exact search: no index scan of any kind may answer it, but the
	// (embedder, type) b-tree may still pick the type's rows in a bitmap.
	if _, err := conn.Exec(ctx, `SET enable_indexscan = off`); err != nil {
		return err
	}
	rows := map[triage.Type]int{}
	for _, t := range triage.Types {
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM resolutions WHERE embedder = $1 AND type = $2`, emb.Name(), t).Scan(&n); err != nil {
			return err
		}
		rows[t] = n
	}
	// One untimed pass per type warms the caches and prepared statements.
	for _, q := range qs[:min(len(qs), 30)] {
		if _, err := store.Nearest(ctx, triage.NearestQuery{Vector: q.vec, Embedder: emb.Name(), Type: q.under, K: k}); err != nil {
			return err
		}
	}
	raw, err := rawConn(ctx, db)
	if err != nil {
		return err
	}
	defer raw.Release()
	var res []result
	start := time.Now()
	for i, q := range qs {
		nq := triage.NearestQuery{Vector: q.vec, Embedder: emb.Name(), Type: q.under, K: k}
		// Whichever runs second finds the pages the first read in the
		// cache, so the two take turns going first.
		var got []triage.Neighbor
		var lat, rawLat time.Duration
		timed := func() (err error) {
			t0 := time.Now()
			got, err = store.Nearest(ctx, nq)
			lat = time.Since(t0)
			return err
		}
		rawTimed := func() (err error) {
			rawLat, err = rawNearest(ctx, raw.Conn(), nq)
			return err
		}
		first, second := timed, rawTimed
		if i%2 == 1 {
			first, second = rawTimed, timed
		}
		if err := first(); err != nil {
			return err
		}
		if err := second(); err != nil {
			return err
		}
		t0 := time.Now()
		exact, err := exactSearch(ctx, conn.Conn(), q, emb.Name(), k, dims)
		if err != nil {
			return err
		}
		byID, ties := recall(got, exact, k)
		res = append(res, result{q: q, latency: lat, raw: rawLat, exact: time.Since(t0), byID: byID, ties: ties})
	}
	report(res, rows, k, time.Since(start))
	return nil
}

// rawConn is a connection with Nearest's scan settings set for the
// session, so the raw statement is one round trip with nothing around it.
func rawConn(ctx context.Context, db *postgres.DB) (*pgxpool.Conn, error) {
	c, err := db.Pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	ef := db.EfSearch
	if ef <= 0 {
		ef = postgres.DefaultEfSearch
	}
	if _, err := c.Exec(ctx, fmt.Sprintf(`SET hnsw.ef_search = %d; SET hnsw.iterative_scan = strict_order`, ef)); err != nil {
		c.Release()
		return nil, err
	}
	return c, nil
}

// rawNearest times Nearest's own statement sent as it is: the anchor
// that shows what the store adds around the database's work.
func rawNearest(ctx context.Context, conn *pgx.Conn, q triage.NearestQuery) (time.Duration, error) {
	sql, args, err := postgres.NearestSQL(q)
	if err != nil {
		return 0, err
	}
	t0 := time.Now()
	rows, err := conn.Query(ctx, sql, args...)
	if err != nil {
		return 0, err
	}
	rows.Close()
	return time.Since(t0), rows.Err()
}

// neighbour is one exact result.
type neighbour struct {
	id  int64
	sim float64
}

func exactSearch(ctx context.Context, conn *pgx.Conn, q query, embedder string, k, dims int) ([]neighbour, error) {
	rows, err := conn.Query(ctx, fmt.Sprintf(exactSQL, dims), pgvector.NewVector(q.vec), embedder, q.under, k)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (neighbour, error) {
		var n neighbour
		return n, r.Scan(&n.id, &n.sim)
	})
}

// tieEps absorbs float rounding between the two statements' similarities.
const tieEps = 1e-9

// recall returns recall@k of got against exact by id, and counting ties:
// a returned row as close as the exact k-th counts, whatever its id,
// since among equal distances which come back is arbitrary.
func recall(got []triage.Neighbor, exact []neighbour, k int) (byID, ties float64) {
	want := min(k, len(exact))
	if want == 0 {
		return 1, 1
	}
	ids := map[int64]bool{}
	for _, n := range exact[:want] {
		ids[n.id] = true
	}
	kth := exact[want-1].sim
	var hit, tie int
	for _, n := range got[:min(len(got), want)] {
		if ids[n.ResolutionID] {
			hit++
		}
		if n.Similarity >= kth-tieEps {
			tie++
		}
	}
	return float64(hit) / float64(want), float64(tie) / float64(want)
}

// readQueries embeds, for each type, perType texts of that type searched
// under it and far texts of the other types (in turn) searched under it.
func readQueries(ctx context.Context, file string, emb triage.Embedder, perType, far int) ([]query, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	byType := map[triage.Type][]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var rec struct {
			Type       triage.Type    `json:"type"`
			Text       string         `json:"text"`
			Attributes map[string]any `json:"attributes"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return nil, err
		}
		if len(byType[rec.Type]) < perType+far {
			byType[rec.Type] = append(byType[rec.Type], triage.PrepareText(rec.Text, rec.Attributes))
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	var qs []query
	var texts []string
	for i, t := range triage.Types {
		own := byType[t]
		for _, s := range own[:min(perType, len(own))] {
			qs, texts = append(qs, query{from: t, under: t}), append(texts, s)
		}
		others := slices.Delete(slices.Clone(triage.Types), i, i+1)
		for j := range far {
			from := others[j%len(others)]
			src := byType[from]
			if len(src) == 0 {
				continue
			}
			// From the end of the other type's texts, so they are not its
			// own-type queries again.
			qs, texts = append(qs, query{from: from, under: t}), append(texts, src[len(src)-1-(j/len(others))%len(src)])
		}
	}
	vecs, err := emb.Embed(ctx, texts)
	if err != nil {
		return nil, err
	}
	for i := range qs {
		qs[i].vec = vecs[i]
	}
	return qs, nil
}

// report prints one markdown table: a row per type and kind of query,
// then the whole.
func report(res []result, rows map[triage.Type]int, k int, took time.Duration) {
	fmt.Printf("| searched under | queries | rows of type | recall@%d by id | recall@%[1]d with ties | p50 ms | p99 ms | max ms | exact p50 ms |\n", k)
	fmt.Println("|---|---|---|---|---|---|---|---|---|")
	line := func(name string, n int, sel func(result) bool) {
		var lat, ex []time.Duration
		var byID, ties float64
		for _, r := range res {
			if sel(r) {
				lat, ex = append(lat, r.latency), append(ex, r.exact)
				byID, ties = byID+r.byID, ties+r.ties
			}
		}
		if len(lat) == 0 {
			return
		}
		rowsCol := "—"
		if n >= 0 {
			rowsCol = fmt.Sprint(n)
		}
		c := float64(len(lat))
		fmt.Printf("| %s | %d | %s | %.3f | %.3f | %.1f | %.1f | %.1f | %.1f |\n", name, len(lat), rowsCol, byID/c, ties/c,
			ms(pct(lat, 50)), ms(pct(lat, 99)), ms(slices.Max(lat)), ms(pct(ex, 50)))
	}
	for _, t := range triage.Types {
		line(string(t), rows[t], func(r result) bool { return r.q.under == t && r.q.from == t })
		line(string(t)+" (far: other types' texts)", rows[t], func(r result) bool { return r.q.under == t && r.q.from != t })
	}
	line("all own-type", -1, func(r result) bool { return r.q.from == r.q.under })
	line("all far", -1, func(r result) bool { return r.q.from != r.q.under })
	line("**all**", -1, func(result) bool { return true })
	fmt.Printf("\n%d queries in %s (each timed through Store.Nearest, then as the raw statement, then searched exactly)\n", len(res), took.Round(time.Second))
	var rawLat []time.Duration
	for _, r := range res {
		rawLat = append(rawLat, r.raw)
	}
	fmt.Printf("raw statement (anchor): p50 %.1f ms, p99 %.1f ms\n", ms(pct(rawLat, 50)), ms(pct(rawLat, 99)))
	writeFigures(res, rawLat)
}

// writeFigures appends the summary to BENCH_FIGURES, when set, as
// name<TAB>value lines for `make bench-scale`'s table.
func writeFigures(res []result, rawLat []time.Duration) {
	path := os.Getenv("BENCH_FIGURES")
	if path == "" {
		return
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		fmt.Println("BENCH_FIGURES:", err)
		return
	}
	defer f.Close()
	for _, own := range []bool{true, false} {
		var lat, ex []time.Duration
		var ties float64
		types := map[triage.Type][]time.Duration{}
		for _, r := range res {
			if (r.q.from == r.q.under) == own {
				lat, ex, ties = append(lat, r.latency), append(ex, r.exact), ties+r.ties
				types[r.q.under] = append(types[r.q.under], r.latency)
			}
		}
		if len(lat) == 0 {
			continue
		}
		kind := map[bool]string{true: "own", false: "far"}[own]
		worst := 0.0
		for _, l := range types {
			worst = max(worst, ms(pct(l, 99)))
		}
		fmt.Fprintf(f, "knn_%s_recall\t%.3f\nknn_%s_p50\t%.1f\nknn_%s_p99\t%.1f\nknn_%s_worst_type_p99\t%.1f\nknn_%s_max\t%.1f\nknn_%s_exact_p50\t%.1f\n",
			kind, ties/float64(len(lat)), kind, ms(pct(lat, 50)), kind, ms(pct(lat, 99)), kind, worst, kind, ms(slices.Max(lat)), kind, ms(pct(ex, 50)))
	}
	fmt.Fprintf(f, "knn_raw_p50\t%.1f\nknn_raw_p99\t%.1f\n", ms(pct(rawLat, 50)), ms(pct(rawLat, 99)))
}

// pct is the p-th percentile of ds by nearest rank.
func pct(ds []time.Duration, p int) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	i := (p*len(s)+99)/100 - 1
	return s[max(0, min(i, len(s)-1))]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

//go:build benchoutbox

package main_test

// The outbox benchmark behind `make bench-outbox` (scripts/bench-outbox.sh):
// not a test of correctness, so kept out of `make test` by the build tag.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/triage/postgres"
	"github.com/billtriage/billtriage/triage/postgres/pgtest"
	"github.com/billtriage/billtriage/webhook"
)

// benchRig prepares a schema with bin's own `migrate` (so the baseline
// binary gets the schema it was written for, without the outbox tables),
// loads the same small history and makes a key.
func benchRig(t *testing.T, bin, hist, fresh string) *faultRig {
	t.Helper()
	ctx := context.Background()
	schema := pgtest.NewSchemaName("bench")
	r := &faultRig{bin: bin, schema: schema, env: []string{"DATABASE_URL=" + pgtest.URL(), "BILLTRIAGE_SCHEMA=" + schema}}
	run(t, bin, append(slices.Clone(r.env), "BILLTRIAGE_MIGRATE_URL="+pgtest.OwnerURL()), "migrate")
	db, err := postgres.Open(ctx, pgtest.URL(), postgres.Options{Schema: schema, OwnerURL: pgtest.OwnerURL(), MaxConns: 2})
	if err != nil {
		pgtest.Unavailable(t, err)
	}
	r.db = db
	t.Cleanup(func() {
		defer db.Close()
		if err := db.DropSchema(ctx); err != nil {
			t.Errorf("cleanup: %v", err)
		}
	})
	run(t, bin, r.env, "load", "--exceptions", filepath.Join(hist, "exceptions.jsonl"), "--invoices", filepath.Join(hist, "invoices.csv"))
	r.key = strings.TrimSpace(run(t, bin, r.env, "keys", "create", "--role", "admin", "--name", "bench"))
	r.texts = unlabelled(t, filepath.Join(fresh, "exceptions.jsonl"))
	return r
}

// TestBenchOutbox measures (a) events per second through the outbox to a
// local webhook.Receiver and (b) the latency the event+job insert adds to
// a single POST /v1/exceptions, against the binary built at the commit
// before the outbox (BENCH_OUTBOX_BEFORE), both serving in the same run,
// in alternating rounds so that load from elsewhere hits both alike.
func TestBenchOutbox(t *testing.T) {
	before := os.Getenv("BENCH_OUTBOX_BEFORE")
	if before == "" {
		t.Fatal("BENCH_OUTBOX_BEFORE: the path of the binary built before the outbox (scripts/bench-outbox.sh builds it)")
	}
	singles := envInt(t, "BENCH_OUTBOX_SINGLES", 400)
	bulk := envInt(t, "BENCH_OUTBOX_EVENTS", 3000)
	now := buildBinary(t)
	dir := t.TempDir()
	run(t, now, nil, "generate", "--seed", "7", "--exceptions", "400", "--invoices", "50", "--out", filepath.Join(dir, "hist"))
	run(t, now, nil, "generate", "--seed", "8", "--exceptions", "200", "--invoices", "10", "--out", filepath.Join(dir, "new"))
	base := benchRig(t, before, filepath.Join(dir, "hist"), filepath.Join(dir, "new"))
	out := benchRig(t, now, filepath.Join(dir, "hist"), filepath.Join(dir, "new"))

	secret := webhook.NewSecret()
	recv := newCountingReceiver(secret)
	hook := httptest.NewServer(recv)
	t.Cleanup(hook.Close)
	if _, err := out.db.Pool.Exec(context.Background(), `INSERT INTO webhook_endpoints (url, secrets) VALUES ($1, ARRAY[$2])`, hook.URL, secret.String()); err != nil {
		t.Fatal(err)
	}
	bp, op := base.startProc(t), out.startProc(t)
	client := &http.Client{Timeout: 30 * time.Second}

	// (b) single POSTs, one at a time, alternating rounds of 25.
	var lat [2][]time.Duration
	rigs := [2]*faultRig{base, out}
	procs := [2]*serverProc{bp, op}
	for round := 0; round*25 < singles; round++ {
		for k := range 2 {
			for i := range 25 {
				n := round*25 + i
				rec := rigs[k].item(fmt.Sprintf("single-%d", n), n)
				body, _ := json.Marshal(rec)
				t0 := time.Now()
				if _, err := postBatch(client, procs[k].base, rigs[k].key, body, nil); err != nil && !strings.Contains(err.Error(), "unreadable") {
					t.Fatal(err)
				}
				lat[k] = append(lat[k], time.Since(t0))
			}
		}
	}

	// (a) bulk: 4 clients, batches of 10, timed until the receiver has
	// acted on every event in the table.
	ctx := context.Background()
	start := time.Now()
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range jobs {
				items := make([]dataset.Record, 10)
				for i := range items {
					items[i] = out.item(fmt.Sprintf("bulk-%d-%d", b, i), b*10+i)
				}
				body, _ := json.Marshal(items)
				if _, err := postBatch(client, op.base, out.key, body, items); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	for b := range bulk / 10 {
		jobs <- b
	}
	close(jobs)
	wg.Wait()
	posted := time.Since(start)
	var events int
	deadline := time.Now().Add(5 * time.Minute)
	for {
		if err := out.db.Pool.QueryRow(ctx, `SELECT count(*) FROM events`).Scan(&events); err != nil {
			t.Fatal(err)
		}
		if len(recv.acted()) >= events || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	drained := time.Since(start)
	if acted := len(recv.acted()); acted != events {
		t.Fatalf("receiver acted on %d of %d events", acted, events)
	}
	bulkEvents := events - singles

	pct := func(d []time.Duration, p float64) float64 {
		s := slices.Clone(d)
		slices.Sort(s)
		return float64(s[min(len(s)-1, int(p*float64(len(s))))].Microseconds()) / 1000
	}
	var tb bytes.Buffer
	fmt.Fprintf(&tb, "\n| POST /v1/exceptions, one item, one client | n | p50 ms | p90 ms | p99 ms |\n|---|---:|---:|---:|---:|\n")
	for k, name := range []string{"before the outbox (d30a53f)", "with the outbox"} {
		fmt.Fprintf(&tb, "| %s | %d | %.1f | %.1f | %.1f |\n", name, len(lat[k]), pct(lat[k], 0.5), pct(lat[k], 0.9), pct(lat[k], 0.99))
	}
	fmt.Fprintf(&tb, "| added by the outbox | | %+.1f | %+.1f | %+.1f |\n",
		pct(lat[1], 0.5)-pct(lat[0], 0.5), pct(lat[1], 0.9)-pct(lat[0], 0.9), pct(lat[1], 0.99)-pct(lat[0], 0.99))
	fmt.Fprintf(&tb, "\n| outbox throughput, one replica | value |\n|---|---:|\n")
	fmt.Fprintf(&tb, "| exceptions posted (4 clients, batches of 10) | %d in %.1f s (%.0f/s) |\n", bulkEvents, posted.Seconds(), float64(bulkEvents)/posted.Seconds())
	fmt.Fprintf(&tb, "| events acted on by the receiver | %d in %.1f s (%.0f/s) |\n", bulkEvents, drained.Seconds(), float64(bulkEvents)/drained.Seconds())
	fmt.Fprintf(&tb, "| delivery tail after the last POST | %.1f s |\n", (drained - posted).Seconds())
	fmt.Fprintf(&tb, "| webhook requests for %d events | %d |\n", events, recv.wire.Load())
	t.Log(tb.String())
	for _, p := range procs {
		if err := p.stop(); err != nil {
			t.Error(err)
		}
	}
}

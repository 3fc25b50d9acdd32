//go:build benchtriage

package main_test

// The triage benchmark behind `make bench-triage` (scripts/bench-triage.sh,
// issue 16): not a test of correctness, so kept out of `make test` by the
// build tag. For each binary it is given (the commit before the work and
// this one) it loads the same generated history into a schema of its own
// in a scratch database, starts `serve` and measures time to ready, RSS,
// POST latency at one client, throughput at 4 and 16 clients and items/s
// in batches of 100. Prints one Markdown table.

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/billtriage/billtriage/dataset"
)

// triageFigures is one binary's measurements.
type triageFigures struct {
	load                    time.Duration
	firstReady, againReady  time.Duration
	rssReady, rssEnd, rssHW int64 // kB
	p50, p90, p99           float64
	rps4, rps16             float64
	p99at4, p99at16         float64
	batchItems              float64
	singles                 int
	// health50, health99 time GET /healthz at one client: the anchor, an
	// HTTP round trip to the same process that does no work.
	health50, health99 float64
	// cpu16 is serve's own CPU (user+system) per POST at 16 clients, ms:
	// the rest of the two cores went to PostgreSQL.
	cpu16 float64
}

// benchServe is one `billtriage serve` process of the benchmark.
type benchServe struct {
	cmd   *exec.Cmd
	base  string
	ready time.Duration // from exec to the first 200 from /readyz
	done  chan struct{}
}

func TestBenchTriage(t *testing.T) {
	data := os.Getenv("BENCH_TRIAGE_DATA")
	fresh := os.Getenv("BENCH_TRIAGE_FRESH")
	appURL, ownerURL := os.Getenv("BENCH_TRIAGE_APP_URL"), os.Getenv("BENCH_TRIAGE_OWNER_URL")
	if data == "" || fresh == "" || appURL == "" || ownerURL == "" {
		t.Fatal("BENCH_TRIAGE_DATA, BENCH_TRIAGE_FRESH, BENCH_TRIAGE_APP_URL and BENCH_TRIAGE_OWNER_URL: run scripts/bench-triage.sh")
	}
	// BENCH_TRIAGE_BINS is label=path,label=path: the binaries to compare.
	var labels, bins []string
	for _, lb := range strings.Split(os.Getenv("BENCH_TRIAGE_BINS"), ",") {
		l, b, ok := strings.Cut(lb, "=")
		if !ok {
			t.Fatalf("BENCH_TRIAGE_BINS=%q: want label=path,...", os.Getenv("BENCH_TRIAGE_BINS"))
		}
		labels, bins = append(labels, l), append(bins, b)
	}
	reuse := os.Getenv("BENCH_TRIAGE_REUSE") == "1"
	singles := envInt(t, "BENCH_TRIAGE_SINGLES", 1000)
	seconds := envInt(t, "BENCH_TRIAGE_SECONDS", 10)
	batches := envInt(t, "BENCH_TRIAGE_BATCHES", 10)
	texts := unlabelled(t, filepath.Join(fresh, "exceptions.jsonl"))
	run0 := strconv.FormatInt(time.Now().UnixNano(), 36)

	figs := make([]triageFigures, len(bins))
	for k, bin := range bins {
		f := &figs[k]
		schema := "bench_triage_" + labels[k]
		env := []string{"DATABASE_URL=" + appURL, "BILLTRIAGE_MIGRATE_URL=" + ownerURL, "BILLTRIAGE_SCHEMA=" + schema, "BILLTRIAGE_LOG_LEVEL=info"}
		if !reuse || !strings.Contains(psql(t, ownerURL, "SELECT count(*) FROM pg_namespace WHERE nspname = '"+schema+"'"), "1") {
			psql(t, ownerURL, "DROP SCHEMA IF EXISTS "+schema+" CASCADE")
			run(t, bin, env, "migrate")
			t0 := time.Now()
			run(t, bin, env, "load", "--quiet", "--exceptions", filepath.Join(data, "exceptions.jsonl"), "--invoices", filepath.Join(data, "invoices.csv"))
			f.load = time.Since(t0)
		}
		key := strings.TrimSpace(run(t, bin, env, "keys", "create", "--role", "admin", "--name", "bench-"+run0))
		// The first start after a load, then a restart: what a deploy sees.
		s := startBench(t, bin, env)
		f.firstReady = s.ready
		s.stop(t)
		s = startBench(t, bin, env)
		f.againReady = s.ready
		f.rssReady, _ = s.rss()
		client := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
		var n atomic.Int64
		item := func() dataset.Record {
			i := n.Add(1)
			rec := texts[int(i)%len(texts)]
			rec.ID, rec.Source = fmt.Sprintf("bench-%s-%s-%d", labels[k], run0, i), "bench-triage"
			return rec
		}
		postOne := func() time.Duration {
			rec := item()
			body, _ := json.Marshal(rec)
			t0 := time.Now()
			if _, err := postBatch(client, s.base, key, body, nil); err != nil && !strings.Contains(err.Error(), "unreadable") {
				t.Fatal(err)
			}
			return time.Since(t0)
		}
		for range 50 { // warm the pool, the caches and the plans
			postOne()
		}
		f.health50, f.health99 = healthz(t, client, s.base, singles)
		var lat []time.Duration
		for range singles {
			lat = append(lat, postOne())
		}
		f.singles = len(lat)
		f.p50, f.p90, f.p99 = pctMS(lat, 0.5), pctMS(lat, 0.9), pctMS(lat, 0.99)
		f.rps4, f.p99at4 = drive(4, time.Duration(seconds)*time.Second, postOne)
		cpu0, n0 := s.cpu(), n.Load()
		f.rps16, f.p99at16 = drive(16, time.Duration(seconds)*time.Second, postOne)
		f.cpu16 = float64(s.cpu()-cpu0) / float64(n.Load()-n0)
		// Batches of 100 from two clients.
		t0 := time.Now()
		var wg sync.WaitGroup
		jobs := make(chan int)
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range jobs {
					items := make([]dataset.Record, 100)
					for i := range items {
						items[i] = item()
					}
					body, _ := json.Marshal(items)
					if _, err := postBatch(client, s.base, key, body, items); err != nil {
						t.Error(err)
					}
				}
			}()
		}
		for b := range batches {
			jobs <- b
		}
		close(jobs)
		wg.Wait()
		f.batchItems = float64(batches*100) / time.Since(t0).Seconds()
		f.rssEnd, f.rssHW = s.rss()
		s.stop(t)
	}

	var tb strings.Builder
	fmt.Fprintf(&tb, "\n| measure |")
	for _, l := range labels {
		fmt.Fprintf(&tb, " %s |", l)
	}
	fmt.Fprintf(&tb, "\n|---|%s\n", strings.Repeat("---:|", len(labels)))
	row := func(name string, v func(f triageFigures) string) {
		fmt.Fprintf(&tb, "| %s |", name)
		for _, f := range figs {
			fmt.Fprintf(&tb, " %s |", v(f))
		}
		tb.WriteString("\n")
	}
	row("load (s; blank: schema reused)", func(f triageFigures) string {
		if f.load == 0 {
			return ""
		}
		return fmt.Sprintf("%.1f", f.load.Seconds())
	})
	row("serve ready, first start after load (s)", func(f triageFigures) string { return fmt.Sprintf("%.2f", f.firstReady.Seconds()) })
	row("serve ready, restart (s)", func(f triageFigures) string { return fmt.Sprintf("%.2f", f.againReady.Seconds()) })
	row("RSS when ready (MB)", func(f triageFigures) string { return fmt.Sprint(f.rssReady / 1024) })
	row("RSS after the run / peak (MB)", func(f triageFigures) string { return fmt.Sprintf("%d / %d", f.rssEnd/1024, f.rssHW/1024) })
	row(fmt.Sprintf("POST, 1 client, p50 / p90 / p99 ms (n=%d)", singles), func(f triageFigures) string {
		return fmt.Sprintf("%.1f / %.1f / %.1f", f.p50, f.p90, f.p99)
	})
	row("POST, 4 clients: req/s (p99 ms)", func(f triageFigures) string { return fmt.Sprintf("%.0f (%.0f)", f.rps4, f.p99at4) })
	row("POST, 16 clients: req/s (p99 ms)", func(f triageFigures) string { return fmt.Sprintf("%.0f (%.0f)", f.rps16, f.p99at16) })
	row("serve's own CPU per POST at 16 clients (ms)", func(f triageFigures) string { return fmt.Sprintf("%.2f", f.cpu16) })
	row(fmt.Sprintf("batches of 100, 2 clients (%d batches): items/s", batches), func(f triageFigures) string { return fmt.Sprintf("%.0f", f.batchItems) })
	row(fmt.Sprintf("anchor: GET /healthz, 1 client, p50 / p99 ms (n=%d)", singles), func(f triageFigures) string {
		return fmt.Sprintf("%.2f / %.2f", f.health50, f.health99)
	})
	t.Log(tb.String())
	writeTriageFigures(t, labels, figs)
}

// healthz times n GET /healthz at one client: p50 and p99 in ms.
func healthz(t *testing.T, client *http.Client, base string, n int) (float64, float64) {
	t.Helper()
	var lat []time.Duration
	for range n {
		t0 := time.Now()
		resp, err := client.Get(base + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		lat = append(lat, time.Since(t0))
	}
	return pctMS(lat, 0.5), pctMS(lat, 0.99)
}

// writeTriageFigures appends each binary's figures to BENCH_FIGURES, when
// set, as label_name<TAB>value lines for `make bench-scale`'s table.
func writeTriageFigures(t *testing.T, labels []string, figs []triageFigures) {
	path := os.Getenv("BENCH_FIGURES")
	if path == "" {
		return
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for i, g := range figs {
		for _, kv := range []struct {
			k string
			v float64
		}{{"ready_first_s", g.firstReady.Seconds()}, {"ready_again_s", g.againReady.Seconds()},
			{"rss_ready_mb", float64(g.rssReady) / 1024}, {"rss_peak_mb", float64(g.rssHW) / 1024},
			{"post_p50", g.p50}, {"post_p90", g.p90}, {"post_p99", g.p99},
			{"rps4", g.rps4}, {"p99at4", g.p99at4}, {"rps16", g.rps16}, {"p99at16", g.p99at16},
			{"batch_items_s", g.batchItems}, {"healthz_p50", g.health50}, {"healthz_p99", g.health99}} {
			fmt.Fprintf(f, "%s_%s\t%.2f\n", labels[i], kv.k, kv.v)
		}
	}
}

// drive runs post from clients goroutines for d and returns requests per
// second and the p99 latency in ms.
func drive(clients int, d time.Duration, post func() time.Duration) (float64, float64) {
	var mu sync.Mutex
	var lat []time.Duration
	var wg sync.WaitGroup
	start := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Since(start) < d {
				l := post()
				mu.Lock()
				lat = append(lat, l)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return float64(len(lat)) / time.Since(start).Seconds(), pctMS(lat, 0.99)
}

func pctMS(d []time.Duration, p float64) float64 {
	s := slices.Clone(d)
	slices.Sort(s)
	return float64(s[min(len(s)-1, int(p*float64(len(s))))].Microseconds()) / 1000
}

// psql runs one statement as url's role and returns its unaligned output.
func psql(t *testing.T, url, sql string) string {
	t.Helper()
	out, err := exec.Command("psql", "-Atq", "-v", "ON_ERROR_STOP=1", "-c", "SET client_min_messages = warning; "+sql, url).CombinedOutput()
	if err != nil {
		t.Fatalf("psql %s: %v\n%s", sql, err, out)
	}
	return string(out)
}

// startBench starts serve on a free port, as the service's role, and
// waits for /readyz; ready is measured from exec.
func startBench(t *testing.T, bin string, env []string) *benchServe {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0")
	cmd.Env = append(append(os.Environ(), env...), "BILLTRIAGE_MIGRATE_URL=")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &benchServe{cmd: cmd, done: make(chan struct{})}
	addrc := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`msg=listening addr=(\S+)`)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				addrc <- m[1]
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
		_ = cmd.Wait()
		close(s.done)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-s.done
	})
	select {
	case addr := <-addrc:
		s.base = "http://" + addr
	case <-s.done:
		t.Fatalf("serve exited before listening: %s", cmd.ProcessState)
	case <-time.After(5 * time.Minute):
		t.Fatal("serve did not report its address in 5 minutes")
	}
	for {
		resp, err := http.Get(s.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	s.ready = time.Since(t0)
	return s
}

// rss returns the process's resident set and its peak, in kB.
func (s *benchServe) rss() (int64, int64) {
	raw, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	var rss, hwm int64
	for _, line := range strings.Split(string(raw), "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == "VmRSS:" {
			rss, _ = strconv.ParseInt(f[1], 10, 64)
		}
		if len(f) >= 2 && f[0] == "VmHWM:" {
			hwm, _ = strconv.ParseInt(f[1], 10, 64)
		}
	}
	return rss, hwm
}

// cpu returns the process's user and system CPU time so far, in ms.
func (s *benchServe) cpu() int64 {
	raw, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.cmd.Process.Pid))
	// The command name (field 2) is in parentheses; utime and stime are
	// the 12th and 13th fields after it, in clock ticks of 10 ms.
	_, rest, _ := strings.Cut(string(raw), ") ")
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return (u + st) * 10
}

func (s *benchServe) stop(t *testing.T) {
	t.Helper()
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		t.Fatal("serve ignored SIGTERM for 30 s")
	}
}

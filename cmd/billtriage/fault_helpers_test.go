package main_test

// Helpers shared by the fault test (fault_test.go, part of `make test`) and
// the chaos run (chaos_test.go, `make chaos`): a server process that can be
// killed with SIGKILL and restarted on the same schema, a stream of POSTs
// that remembers which ids were acknowledged, and the database-side census
// that decides whether anything was lost, stranded or decided twice. They
// talk only to the binary and the database, so they measure whatever code
// the binary was built from.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/triage/postgres"
	"github.com/billtriage/billtriage/triage/postgres/pgtest"
)

// faultSource is the source of every exception the stream posts, so the
// census can tell them from the loaded history.
const faultSource = "fault-stream"

// faultRig is a schema with a small history, an API key, the binary and
// the texts the stream posts.
type faultRig struct {
	bin, schema, key string
	// appName is the application_name the server's connections carry, so
	// the chaos run can terminate exactly those backends and no one
	// else's on the shared PostgreSQL server.
	appName string
	env     []string
	texts   []dataset.Record
	// db is the test's own pool on the schema, for the census; it carries
	// no application_name, so terminating the server's backends spares it.
	db *postgres.DB
}

// newFaultRig builds the binary, loads a small generated history into a
// fresh schema and creates an admin key. The history is small because the
// test measures delivery, not triage quality; it only has to give the
// classifier and the nearest-neighbour search something to work on.
func newFaultRig(t *testing.T, history int) *faultRig {
	t.Helper()
	bin := buildBinary(t)
	schema := isolatedSchema(t)
	appName := "billtriage-" + schema
	r := &faultRig{bin: bin, schema: schema, appName: appName,
		env: []string{"DATABASE_URL=" + withAppName(t, pgtest.URL(), appName), "BILLTRIAGE_SCHEMA=" + schema}}
	dir := t.TempDir()
	run(t, bin, r.env, "generate", "--seed", "7", "--exceptions", fmt.Sprint(history), "--invoices", "50", "--out", dir)
	out := run(t, bin, r.env, "load", "--exceptions", filepath.Join(dir, "exceptions.jsonl"), "--invoices", filepath.Join(dir, "invoices.csv"))
	if !strings.Contains(out, fmt.Sprintf("history: %d labelled records", history)) {
		t.Fatalf("load: %s", out)
	}
	r.key = strings.TrimSpace(run(t, bin, r.env, "keys", "create", "--role", "admin", "--name", "fault"))
	// The posted texts come from a differently seeded run, as in the
	// end-to-end test, so they are not copies of the history.
	run(t, bin, r.env, "generate", "--seed", "8", "--exceptions", "200", "--invoices", "10", "--out", filepath.Join(dir, "new"))
	r.texts = unlabelled(t, filepath.Join(dir, "new", "exceptions.jsonl"))
	var err error
	ctx := context.Background()
	if r.db, err = postgres.Open(ctx, pgtest.URL(), postgres.Options{Schema: schema, MaxConns: 2}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.db.Close)
	return r
}

// withAppName adds application_name to a PostgreSQL URL; pgx sends it as
// a startup parameter, so it shows in pg_stat_activity.
func withAppName(t *testing.T, raw, name string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("DATABASE_URL: %v", err)
	}
	q := u.Query()
	q.Set("application_name", name)
	u.RawQuery = q.Encode()
	return u.String()
}

// serverProc is one `billtriage serve` process that the test may kill.
type serverProc struct {
	cmd  *exec.Cmd
	base string
	done chan struct{} // closed when the process has been waited for
	mu   sync.Mutex
	tail []string // its last log lines, for failure messages
}

// startProc starts `billtriage serve` on a free port and waits for its
// "listening" line. Unlike startServer it leaves the ending to the caller
// (kill or stop); a process still running when the test ends is killed.
func (r *faultRig) startProc(t *testing.T) *serverProc {
	t.Helper()
	cmd := exec.Command(r.bin, "serve", "--addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), r.env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &serverProc{cmd: cmd, done: make(chan struct{})}
	addrc := make(chan string, 1)
	scanned := make(chan struct{})
	go func() {
		defer close(scanned)
		re := regexp.MustCompile(`msg=listening addr=(\S+)`)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			if m := re.FindStringSubmatch(line); m != nil {
				addrc <- m[1]
			}
			p.mu.Lock()
			if p.tail = append(p.tail, line); len(p.tail) > 40 {
				p.tail = p.tail[1:]
			}
			p.mu.Unlock()
		}
		_, _ = io.Copy(io.Discard, stderr)
	}()
	go func() {
		// Wait only after the pipe is drained: exec closes it on Wait.
		<-scanned
		_ = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() { p.kill() })
	select {
	case addr := <-addrc:
		p.base = "http://" + addr
		return p
	case <-p.done:
		t.Fatalf("serve exited before listening: %s\n%s", cmd.ProcessState, p.logTail())
	case <-time.After(30 * time.Second):
		p.kill()
		t.Fatalf("serve did not report its address\n%s", p.logTail())
	}
	return nil
}

// kill sends SIGKILL (cmd.Process.Kill on Linux) and waits for the exit:
// no deferred function, shutdown hook or open transaction gets to finish.
func (p *serverProc) kill() {
	_ = p.cmd.Process.Kill()
	<-p.done
}

// stop asks for a graceful shutdown and reports whether it was clean.
func (p *serverProc) stop() error {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(20 * time.Second):
		p.kill()
		return fmt.Errorf("serve ignored SIGTERM for 20 s")
	}
	if !p.cmd.ProcessState.Success() {
		return fmt.Errorf("serve exited with %s", p.cmd.ProcessState)
	}
	return nil
}

func (p *serverProc) logTail() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.tail, "\n")
}

// stream posts distinct exceptions from several clients, plus ids that two
// "twin" clients post at the same moment, to whatever server is current.
// It survives the server's death: a request that gets no 2xx answer is
// simply not acknowledged, and the clients carry on with new ids once a
// server is back.
type stream struct {
	rig    *faultRig
	client *http.Client
	base   atomic.Pointer[string]
	stop   chan struct{}
	wg     sync.WaitGroup

	mu      sync.Mutex
	sent    map[string]bool // every id put on the wire
	acked   map[string]bool // ids inside a 2xx answer
	refused map[int]int     // non-2xx answers by status
	netErrs int             // requests that got no answer at all
	odd     []string        // 2xx answers that do not look like the API's
	nAcked  atomic.Int64
}

// startStream starts clients goroutines posting batches of 1 to 6 distinct
// exceptions, and one pair of twins posting the same single exception at
// once. Batches make a kill more likely to land between storing a batch
// and deciding all of it, which is the window issue 13 is about.
func (r *faultRig) startStream(clients int, base string) *stream {
	s := &stream{rig: r, stop: make(chan struct{}), sent: map[string]bool{}, acked: map[string]bool{}, refused: map[int]int{},
		client: &http.Client{Timeout: 30 * time.Second,
			Transport: &http.Transport{MaxIdleConnsPerHost: clients + 2, DisableCompression: true}}}
	s.base.Store(&base)
	run := fmt.Sprintf("%x", time.Now().UnixNano()&0xffffff)
	for c := range clients {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			for n := 0; !s.stopped(); n++ {
				size := 1 + (n*7+c)%6
				items := make([]dataset.Record, size)
				for i := range items {
					items[i] = r.item(fmt.Sprintf("%s-c%d-%d-%d", run, c, n, i), c*31+n*7+i)
				}
				s.post(items)
			}
		}()
	}
	// The twins: each round both post the same id as nearly at once as
	// two goroutines can, so both requests find it stored but undecided.
	ready := [2]chan struct{}{make(chan struct{}), make(chan struct{})}
	for w := range 2 {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			for n := 0; ; n++ {
				// A rendezvous per round; the stop check is inside it so
				// both twins leave on the same round.
				select {
				case ready[w] <- struct{}{}:
				case <-ready[1-w]:
				case <-s.stop:
					return
				}
				s.post([]dataset.Record{r.item(fmt.Sprintf("%s-twin-%d", run, n), n)})
			}
		}()
	}
	return s
}

// item is exception id with the n-th posted text.
func (r *faultRig) item(id string, n int) dataset.Record {
	rec := r.texts[n%len(r.texts)]
	rec.ID, rec.Source = id, faultSource
	return rec
}

func (s *stream) stopped() bool {
	select {
	case <-s.stop:
		return true
	default:
		return false
	}
}

// setBase points the clients at a restarted server.
func (s *stream) setBase(base string) { s.base.Store(&base) }

// halt stops the clients and waits for their last requests.
func (s *stream) halt() {
	close(s.stop)
	s.wg.Wait()
}

// waitAcked blocks until n more ids have been acknowledged since the call,
// or timeout passes; it reports whether they were.
func (s *stream) waitAcked(n int64, timeout time.Duration) bool {
	want := s.nAcked.Load() + n
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if s.nAcked.Load() >= want {
			return true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return false
}

func (s *stream) post(items []dataset.Record) {
	s.mu.Lock()
	for _, it := range items {
		s.sent[it.ID] = true
	}
	s.mu.Unlock()
	body, _ := json.Marshal(items)
	req, _ := http.NewRequest("POST", *s.base.Load()+"/v1/exceptions", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+s.rig.key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.client.Do(req)
	if err != nil {
		s.mu.Lock()
		s.netErrs++
		s.mu.Unlock()
		// The server is down: do not spin on a closed port.
		time.Sleep(20 * time.Millisecond)
		return
	}
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	s.mu.Lock()
	defer s.mu.Unlock()
	if resp.StatusCode/100 != 2 || err != nil {
		// A body cut short is no acknowledgement either.
		s.refused[resp.StatusCode]++
		return
	}
	// The API answers a batch with one result per item; an answer that
	// does not name every posted id is not counted as theirs.
	var out struct {
		Results []struct {
			Exception struct {
				ExternalID string `json:"external_id"`
				Status     string `json:"status"`
			} `json:"exception"`
			Decision map[string]any `json:"decision"`
		} `json:"results"`
	}
	if json.Unmarshal(raw, &out) != nil || len(out.Results) != len(items) {
		s.odd = append(s.odd, string(raw[:min(len(raw), 300)]))
		return
	}
	for i, res := range out.Results {
		if res.Exception.ExternalID != items[i].ID || res.Decision == nil {
			s.odd = append(s.odd, fmt.Sprintf("item %s answered as %s with decision %v", items[i].ID, res.Exception.ExternalID, res.Decision != nil))
			continue
		}
		s.acked[items[i].ID] = true
		s.nAcked.Add(1)
	}
}

// census is what the database holds after the run, for the stream's ids.
type census struct {
	Sent, Acknowledged, Stored, Triaged int
	// Duplicates: exceptions with more than one decision; DuplicateAudits:
	// with more than one "decided" audit row (whole schema, not just the
	// stream's source: nothing else may decide twice either).
	Duplicates, DuplicateAudits int
	// Stranded: rows still in status received (whole schema).
	Stranded int
	// Undecided: triaged rows with no decision, which the pipeline should
	// never write (the decision and the status change share a transaction).
	Undecided int
	// Missing: acknowledged ids that are absent, still received or have
	// no decision; MissingIDs names a few. AckedTwice: acknowledged ids
	// with more than one decision (also counted in Duplicates).
	Missing    int
	MissingIDs []string
	AckedTwice int
	NetErrors  int
	Refused    map[int]int
	Odd        int
}

func (c census) String() string {
	return fmt.Sprintf("sent=%d acknowledged=%d stored=%d triaged=%d duplicates=%d (acknowledged=%d) duplicate_decided_audits=%d stranded=%d undecided=%d missing_acknowledged=%d (no answer=%d, non-2xx=%v, unreadable 2xx=%d)",
		c.Sent, c.Acknowledged, c.Stored, c.Triaged, c.Duplicates, c.AckedTwice, c.DuplicateAudits, c.Stranded, c.Undecided, c.Missing, c.NetErrors, c.Refused, c.Odd)
}

// failures lists what the census shows broken; empty means the run held.
func (c census) failures() []string {
	var f []string
	if c.Missing > 0 {
		f = append(f, fmt.Sprintf("%d acknowledged ids are not stored and decided (e.g. %v)", c.Missing, c.MissingIDs))
	}
	if c.Duplicates > 0 {
		f = append(f, fmt.Sprintf("%d exceptions have more than one decision (%d of them acknowledged)", c.Duplicates, c.AckedTwice))
	}
	if c.DuplicateAudits > 0 {
		f = append(f, fmt.Sprintf("%d exceptions have more than one decided audit row", c.DuplicateAudits))
	}
	if c.Stranded > 0 {
		f = append(f, fmt.Sprintf("%d rows are still in status received", c.Stranded))
	}
	if c.Undecided > 0 {
		f = append(f, fmt.Sprintf("%d rows left received without a decision", c.Undecided))
	}
	if c.Odd > 0 {
		f = append(f, fmt.Sprintf("%d 2xx answers did not name their items with a decision", c.Odd))
	}
	return f
}

// The census queries. Each reads the test's own schema (the pool's
// search_path), never another.
const (
	receivedCountSQL = `SELECT count(*) FROM exceptions WHERE status = 'received'`
	duplicatesSQL    = `SELECT count(*) FROM (SELECT exception_id FROM decisions GROUP BY 1 HAVING count(*) > 1) d`
	dupAuditsSQL     = `SELECT count(*) FROM (SELECT exception_id FROM audit_log WHERE action = 'decided' GROUP BY 1 HAVING count(*) > 1) a`
	undecidedSQL     = `SELECT count(*) FROM exceptions e WHERE status <> 'received' AND source = $1
		AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.exception_id = e.id)`
	streamRowsSQL = `SELECT e.external_id, e.status, (SELECT count(*) FROM decisions d WHERE d.exception_id = e.id)
		FROM exceptions e WHERE e.source = $1`
)

// waitSwept polls until no row is in status received or timeout passes,
// and returns how many remain: the restarted server's sweeper should
// leave none. It logs the count as it falls, so a slow sweeper shows.
func (r *faultRig) waitSwept(t *testing.T, timeout time.Duration) int {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(timeout)
	last := -1
	for {
		var n int
		if err := r.db.Pool.QueryRow(ctx, receivedCountSQL).Scan(&n); err != nil {
			t.Fatalf("count received rows: %v", err)
		}
		if n != last {
			t.Logf("%s: %d rows in status received", time.Now().Format("15:04:05.000"), n)
			last = n
		}
		if n == 0 || time.Now().After(deadline) {
			return n
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// count takes the census after the stream has halted.
func (r *faultRig) count(t *testing.T, s *stream) census {
	t.Helper()
	ctx := context.Background()
	s.mu.Lock()
	c := census{Sent: len(s.sent), Acknowledged: len(s.acked), NetErrors: s.netErrs, Refused: s.refused, Odd: len(s.odd)}
	for _, o := range s.odd[:min(3, len(s.odd))] {
		t.Logf("unreadable 2xx answer: %s", o)
	}
	s.mu.Unlock()
	for _, q := range []struct {
		sql  string
		args []any
		into *int
	}{
		{receivedCountSQL, nil, &c.Stranded},
		{duplicatesSQL, nil, &c.Duplicates},
		{dupAuditsSQL, nil, &c.DuplicateAudits},
		{undecidedSQL, []any{faultSource}, &c.Undecided},
	} {
		if err := r.db.Pool.QueryRow(ctx, q.sql, q.args...).Scan(q.into); err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
	}
	rows, err := r.db.Pool.Query(ctx, streamRowsSQL, faultSource)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	type row struct {
		status    string
		decisions int
	}
	stored := map[string]row{}
	for rows.Next() {
		var id string
		var rw row
		if err := rows.Scan(&id, &rw.status, &rw.decisions); err != nil {
			t.Fatal(err)
		}
		stored[id] = rw
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	c.Stored = len(stored)
	for id, rw := range stored {
		if rw.status != "received" {
			c.Triaged++
		}
		if !s.sent[id] {
			t.Errorf("stored id %s was never sent", id)
		}
	}
	for id := range s.acked {
		rw, ok := stored[id]
		if ok && rw.decisions > 1 {
			c.AckedTwice++
		}
		if !ok || rw.status == "received" || rw.decisions == 0 {
			c.Missing++
			if len(c.MissingIDs) < 5 {
				c.MissingIDs = append(c.MissingIDs, fmt.Sprintf("%s(stored=%v status=%q decisions=%d)", id, ok, rw.status, rw.decisions))
			}
		}
	}
	return c
}

// envDuration and envInt read the runs' knobs, refusing a bad value
// rather than silently running with the default.
func envDuration(t *testing.T, key string, def time.Duration) time.Duration {
	t.Helper()
	v := os.Getenv(key)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		t.Fatalf("%s=%q: want a positive Go duration such as 60s", key, v)
	}
	return d
}

func envInt(t *testing.T, key string, def int) int {
	t.Helper()
	v := os.Getenv(key)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		t.Fatalf("%s=%q: want a non-negative integer", key, v)
	}
	return n
}

// unlabelled reads a generated exceptions file without its labels: what a
// client would post.
func unlabelled(t *testing.T, path string) []dataset.Record {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []dataset.Record
	if _, err := dataset.ReadRecords(f, func(rec dataset.Record) error {
		rec.Resolution = nil
		out = append(out, rec)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

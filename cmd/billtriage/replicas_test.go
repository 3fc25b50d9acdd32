package main_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/billtriage/billtriage/dataset"
	"github.com/billtriage/billtriage/webhook"
)

// replicaSource marks the exceptions the replicas test posts, apart from
// the loaded history and from the fault test's stream.
const replicaSource = "replica-stream"

// countingReceiver is a verifying, deduplicating webhook.Receiver that
// counts how often each event id was acted on (handed to Deliver), which
// must be once however many deliveries of it arrive.
type countingReceiver struct {
	rv   *webhook.Receiver
	wire atomic.Int64 // verified or not, every request that arrived
	mu   sync.Mutex
	got  map[string]int
}

func newCountingReceiver(secret webhook.Secret) *countingReceiver {
	c := &countingReceiver{got: map[string]int{}}
	c.rv = &webhook.Receiver{Secrets: []webhook.Secret{secret}, Deliver: func(id string, _ []byte) error {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.got[id]++
		return nil
	}}
	return c
}

func (c *countingReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.wire.Add(1)
	c.rv.ServeHTTP(w, r)
}

func (c *countingReceiver) acted() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.got))
	for k, v := range c.got {
		out[k] = v
	}
	return out
}

// cluster is the replicas and which of them still take requests.
type cluster struct {
	mu    sync.Mutex
	procs []*serverProc
	live  []bool
}

// pick returns a live replica for the n-th request: round-robin over the
// live ones, so the load stays spread when one is gone.
func (c *cluster) pick(n int) (int, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var alive []int
	for i, ok := range c.live {
		if ok {
			alive = append(alive, i)
		}
	}
	i := alive[n%len(alive)]
	return i, c.procs[i].base
}

func (c *cluster) isLive(i int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.live[i]
}

// kill takes replica i out of the rotation and then SIGKILLs it, so its
// requests in flight die unanswered and are retried elsewhere.
func (c *cluster) kill(i int) {
	c.mu.Lock()
	c.live[i] = false
	c.mu.Unlock()
	c.procs[i].kill()
}

// TestReplicasShareOneDatabase is issue 15 as a test: three `serve`
// processes on one schema take 2,000 exceptions between them, one is
// killed with SIGKILL half-way, and the clients retry what got no answer
// on a live replica. Once the cluster has settled, every exception must
// have exactly one decision, nothing may be left received, and every event
// in the events table must have been acted on exactly once by a webhook
// receiver that deduplicates by webhook-id: deliveries and the periodic
// sweep run once per cluster, not once per replica, and a dead replica's
// work is picked up by the others.
//
// BILLTRIAGE_REPLICAS_WAIT (a Go duration, default 150s) bounds the wait
// for the cluster to settle after the last exception is acknowledged. It
// usually takes a few seconds; the bound is that long because a kill that
// lands while the replica is inside a job (reading the event, before the
// POST leaves) leaves the job running until River's rescuer hands it on,
// postgres.DefaultRescueAfter (1 min) plus up to its 30 s interval, the
// retry's 5 s and a new leader's election (15 s) later.
func TestReplicasShareOneDatabase(t *testing.T) {
	wait := envDuration(t, "BILLTRIAGE_REPLICAS_WAIT", 150*time.Second)
	const (
		total    = 2000
		batch    = 5
		clients  = 6
		replicas = 3
	)
	rig := newFaultRig(t, 400)
	ctx := context.Background()

	secret := webhook.NewSecret()
	recv := newCountingReceiver(secret)
	hook := httptest.NewServer(recv)
	t.Cleanup(hook.Close)
	// POST /v1/webhooks does not exist yet; the service's role may insert
	// endpoints, which is what Service.AddEndpoint does underneath.
	if _, err := rig.db.Pool.Exec(ctx, `INSERT INTO webhook_endpoints (url, secrets) VALUES ($1, ARRAY[$2])`,
		hook.URL, secret.String()); err != nil {
		t.Fatalf("add endpoint: %v", err)
	}

	cl := &cluster{live: make([]bool, replicas)}
	for i := range replicas {
		cl.procs = append(cl.procs, rig.startProc(t))
		cl.live[i] = true
	}
	t.Logf("replicas: %s, %s, %s; receiver %s", cl.procs[0].base, cl.procs[1].base, cl.procs[2].base, hook.URL)

	batches := make(chan []dataset.Record, total/batch)
	for b := range total / batch {
		items := make([]dataset.Record, batch)
		for i := range items {
			n := b*batch + i
			items[i] = rig.item(fmt.Sprintf("r-%04d", n), n)
			items[i].Source = replicaSource
		}
		batches <- items
	}
	close(batches)

	var (
		acked          atomic.Int64
		requests       atomic.Int64
		noAnswer       atomic.Int64
		retriedRefusal atomic.Int64
		perReplica     [replicas]atomic.Int64
	)
	httpc := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	killAt := int64(total / 2)
	killed := make(chan struct{})
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := new(bytes.Buffer)
			for items := range batches {
				body.Reset()
				_ = json.NewEncoder(body).Encode(items)
				for attempt := 0; ; attempt++ {
					if attempt == 50 {
						errs <- fmt.Errorf("batch %s: no 2xx answer in 50 attempts", items[0].ID)
						return
					}
					i, base := cl.pick(c + attempt + int(requests.Add(1)))
					status, err := postBatch(httpc, base, rig.key, body.Bytes(), items)
					switch {
					case err != nil && status == 0:
						// No answer: the replica died under the request. The
						// post is idempotent by source+id, so send it again
						// to one that is alive.
						noAnswer.Add(1)
						if cl.isLive(i) {
							time.Sleep(20 * time.Millisecond)
						}
						continue
					case err != nil:
						// A 503 while the database is busy is a "try again";
						// anything else is a failure of the test.
						if status == http.StatusServiceUnavailable {
							retriedRefusal.Add(1)
							time.Sleep(100 * time.Millisecond)
							continue
						}
						errs <- err
						return
					}
					perReplica[i].Add(int64(len(items)))
					if n := acked.Add(int64(len(items))); n >= killAt && n-int64(len(items)) < killAt {
						close(killed)
					}
					break
				}
			}
		}()
	}
	// Kill replica 1 half-way, with requests in flight on it and its job
	// workers holding deliveries.
	select {
	case <-killed:
		cl.kill(1)
		t.Logf("%s: killed replica 1 after %d acknowledged exceptions", time.Since(start).Round(time.Millisecond), acked.Load())
	case <-time.After(90 * time.Second):
		t.Fatalf("only %d of %d exceptions acknowledged in 90 s\n%s", acked.Load(), total, cl.procs[0].logTail())
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		t.FailNow()
	}
	sent := time.Since(start)
	t.Logf("%s: %d exceptions acknowledged (%.0f/s; replica 0/1/2 took %d/%d/%d) in %d requests, %d without an answer, %d 503s retried",
		sent.Round(time.Millisecond), acked.Load(), float64(acked.Load())/sent.Seconds(),
		perReplica[0].Load(), perReplica[1].Load(), perReplica[2].Load(), requests.Load(), noAnswer.Load(), retriedRefusal.Load())
	if perReplica[1].Load() == 0 || perReplica[0].Load() == 0 || perReplica[2].Load() == 0 {
		t.Errorf("a replica took no exceptions: the test did not spread the load")
	}

	// Settle: poll until the database and the receiver agree, or the wait
	// runs out; then check everything once more and report.
	var st replicaState
	deadline := time.Now().Add(wait)
	last := ""
	for {
		st = rig.replicaState(t, recv.acted())
		if s := st.String(); s != last {
			t.Logf("%s: %s", time.Since(start).Round(time.Millisecond), s)
			last = s
		}
		if st.settled(total) || time.Now().After(deadline) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	t.Logf("settled %s after the last acknowledgement; %d webhook requests for %d events",
		(time.Since(start) - sent).Round(time.Millisecond), recv.wire.Load(), st.Events)
	for _, f := range st.failures(total) {
		t.Error(f)
	}
	for i, p := range cl.procs {
		if i != 1 {
			if err := p.stop(); err != nil {
				t.Errorf("replica %d: %v\n%s", i, err, p.logTail())
			}
		}
	}
}

// postBatch posts one batch and reports the status (0 when no answer came)
// and whether the answer names every item with a decision.
func postBatch(c *http.Client, base, key string, body []byte, items []dataset.Record) (int, error) {
	req, _ := http.NewRequest("POST", base+"/v1/exceptions", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		// Cut short: the replica died while answering.
		return 0, err
	}
	if resp.StatusCode/100 != 2 {
		return resp.StatusCode, fmt.Errorf("POST %s: %d %s", base, resp.StatusCode, raw[:min(len(raw), 300)])
	}
	var out struct {
		Results []struct {
			Exception struct {
				ExternalID string `json:"external_id"`
			} `json:"exception"`
			Decision map[string]any `json:"decision"`
		} `json:"results"`
	}
	if err := json.Unmarshal(raw, &out); err != nil || len(out.Results) != len(items) {
		return resp.StatusCode, fmt.Errorf("POST %s: unreadable answer %s", base, raw[:min(len(raw), 300)])
	}
	for i, r := range out.Results {
		if r.Exception.ExternalID != items[i].ID || r.Decision == nil {
			return resp.StatusCode, fmt.Errorf("POST %s: item %s answered as %s, decision %v", base, items[i].ID, r.Exception.ExternalID, r.Decision != nil)
		}
	}
	return resp.StatusCode, nil
}

// replicaState is what the database and the receiver hold.
type replicaState struct {
	Stored, Decided, Duplicates, Received int
	// Events in the table; Acted: distinct ids the receiver acted on;
	// Unacted: events not acted on; Strangers: acted-on ids that are not
	// events; Twice: ids acted on more than once.
	Events, Acted, Unacted, Strangers, Twice int
	// River's jobs by kind and state, to show where an unacted event is
	// (a dispatch not yet run, a delivery retrying or held by a dead
	// replica).
	Jobs    map[string]int
	Example []string
}

func (s replicaState) String() string {
	return fmt.Sprintf("stored=%d decided=%d duplicates=%d received=%d events=%d acted=%d unacted=%d strangers=%d twice=%d jobs=%v",
		s.Stored, s.Decided, s.Duplicates, s.Received, s.Events, s.Acted, s.Unacted, s.Strangers, s.Twice, s.Jobs)
}

func (s replicaState) settled(total int) bool { return len(s.failures(total)) == 0 }

func (s replicaState) failures(total int) []string {
	var f []string
	if s.Stored != total || s.Decided != total {
		f = append(f, fmt.Sprintf("%d of %d exceptions stored, %d with a decision", s.Stored, total, s.Decided))
	}
	if s.Duplicates > 0 {
		f = append(f, fmt.Sprintf("%d exceptions have more than one decision", s.Duplicates))
	}
	if s.Received > 0 {
		f = append(f, fmt.Sprintf("%d rows still in status received", s.Received))
	}
	// One event per decision at least: a decision without its event would
	// be a change the outbox never told anyone about.
	if s.Events < total {
		f = append(f, fmt.Sprintf("%d events for %d decisions", s.Events, total))
	}
	if s.Unacted > 0 || s.Strangers > 0 || s.Twice > 0 {
		f = append(f, fmt.Sprintf("receiver and events table disagree: %d events not acted on, %d acted-on ids not in the table, %d acted on more than once (e.g. %v)",
			s.Unacted, s.Strangers, s.Twice, s.Example))
	}
	return f
}

// replicaState reads the schema's census and compares the events table
// with what the receiver acted on.
func (r *faultRig) replicaState(t *testing.T, acted map[string]int) replicaState {
	t.Helper()
	ctx := context.Background()
	var s replicaState
	if err := r.db.Pool.QueryRow(ctx, `SELECT count(*),
			count(*) FILTER (WHERE EXISTS (SELECT 1 FROM decisions d WHERE d.exception_id = e.id))
		FROM exceptions e WHERE source = $1`, replicaSource).Scan(&s.Stored, &s.Decided); err != nil {
		t.Fatalf("count exceptions: %v", err)
	}
	for _, q := range []struct {
		sql  string
		into *int
	}{{duplicatesSQL, &s.Duplicates}, {receivedCountSQL, &s.Received}} {
		if err := r.db.Pool.QueryRow(ctx, q.sql).Scan(q.into); err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
	}
	rows, err := r.db.Pool.Query(ctx, `SELECT id FROM events`)
	if err != nil {
		t.Fatalf("events: %v", err)
	}
	events := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		events[id] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	s.Events, s.Acted = len(events), len(acted)
	for id := range events {
		if acted[id] == 0 {
			s.Unacted++
			if len(s.Example) < 3 {
				s.Example = append(s.Example, "unacted "+id)
			}
		}
	}
	for id, n := range acted {
		if !events[id] {
			s.Strangers++
		}
		if n > 1 {
			s.Twice++
			if len(s.Example) < 6 {
				s.Example = append(s.Example, fmt.Sprintf("%s acted on %d times", id, n))
			}
		}
	}
	sort.Strings(s.Example)
	s.Jobs = map[string]int{}
	jr, err := r.db.Pool.Query(ctx, `SELECT kind || ':' || state, count(*) FROM river_job GROUP BY 1`)
	if err != nil {
		t.Fatalf("river_job: %v", err)
	}
	defer jr.Close()
	for jr.Next() {
		var state string
		var n int
		if err := jr.Scan(&state, &n); err != nil {
			t.Fatal(err)
		}
		s.Jobs[state] = n
	}
	return s
}

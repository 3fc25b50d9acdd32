//go:build chaos

package main_test

// The chaos run behind `make chaos`: longer and rougher than the fault test
// in `make test`, so it is kept out of it by the build tag.

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestChaos streams POSTs from CHAOS_CLIENTS clients (default 8, plus the
// twins) for CHAOS_DURATION (default 60s), and meanwhile SIGKILLs the
// server CHAOS_SERVER_KILLS times (default 3, each followed by a restart
// on the same schema) and terminates the server's database connections
// CHAOS_DB_KILLS times (default 3) while it keeps running. It then waits
// up to CHAOS_SWEEP_WAIT (default 60s) for no row to be in status
// received, prints the census and fails if any duplicate decision, any
// stranded row or any lost acknowledged id remains.
func TestChaos(t *testing.T) {
	duration := envDuration(t, "CHAOS_DURATION", 60*time.Second)
	clients := envInt(t, "CHAOS_CLIENTS", 8)
	serverKills := envInt(t, "CHAOS_SERVER_KILLS", 3)
	dbKills := envInt(t, "CHAOS_DB_KILLS", 3)
	sweepWait := envDuration(t, "CHAOS_SWEEP_WAIT", 60*time.Second)
	t.Logf("chaos: %s, %d clients + 2 twins, %d server kills, %d database connection kills, sweep wait %s",
		duration, clients, serverKills, dbKills, sweepWait)

	rig := newFaultRig(t, 600)
	srv := rig.startProc(t)
	s := rig.startStream(clients, srv.base)
	start := time.Now()
	// The faults are spread evenly over the run, alternating server and
	// database kills, so each lands on a stream in full flow and the last
	// one still leaves a stretch of normal traffic after it.
	events := serverKills + dbKills
	gap := duration / time.Duration(events+1)
	for i, sk, dk := 0, 0, 0; i < events; i++ {
		time.Sleep(time.Until(start.Add(gap * time.Duration(i+1))))
		if (i%2 == 0 && sk < serverKills) || dk == dbKills {
			sk++
			srv.kill()
			t.Logf("%6s: server kill %d after %d acknowledged ids", since(start), sk, s.nAcked.Load())
			srv = rig.startProc(t)
			s.setBase(srv.base)
			continue
		}
		dk++
		n := rig.terminateServerConns(t)
		t.Logf("%6s: database kill %d terminated %d server connections after %d acknowledged ids", since(start), dk, n, s.nAcked.Load())
	}
	time.Sleep(time.Until(start.Add(duration)))
	s.halt()
	t.Logf("%6s: stream stopped; waiting for the sweep", since(start))
	rig.waitSwept(t, sweepWait)
	c := rig.count(t, s)
	t.Logf("chaos census: %s", c)
	if f := c.failures(); len(f) > 0 {
		t.Errorf("after %d server kills and %d database kills:\n  %s", serverKills, dbKills, strings.Join(f, "\n  "))
	}
	if c.Acknowledged == 0 {
		t.Errorf("nothing was acknowledged: the run measured nothing")
	}
	if err := srv.stop(); err != nil {
		t.Errorf("%v\n%s", err, srv.logTail())
	}
}

// terminateServerConns ends the backends of the server's pool, found by
// the application_name only this rig's server uses and by database:
// other people's sessions on the shared PostgreSQL server, and the
// test's own pool, are left alone.
func (r *faultRig) terminateServerConns(t *testing.T) int {
	t.Helper()
	const terminateSQL = `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND application_name = $1 AND pid <> pg_backend_pid()`
	var n int
	if err := r.db.Pool.QueryRow(context.Background(), terminateSQL, r.appName).Scan(&n); err != nil {
		t.Fatalf("terminate the server's connections: %v", err)
	}
	return n
}

func since(start time.Time) string { return time.Since(start).Round(100 * time.Millisecond).String() }

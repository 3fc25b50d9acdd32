package main_test

import (
	"strings"
	"testing"
	"time"
)

// TestKillMidStreamLosesNothing is issue 13 as a test: a SIGKILL of the
// server in the middle of a 4-client POST stream (with twins posting the
// same id at once), then a restart on the same schema. Once the restarted
// server's sweeper has had its pass, every acknowledged id must be stored
// and decided exactly once, no exception may carry two decisions or two
// "decided" audit rows, and no row may be left in status received.
//
// BILLTRIAGE_FAULT_SWEEP_WAIT (a Go duration, default 30s) bounds the wait
// for the sweeper; the test fails with the stranded count when it passes.
func TestKillMidStreamLosesNothing(t *testing.T) {
	sweepWait := envDuration(t, "BILLTRIAGE_FAULT_SWEEP_WAIT", 30*time.Second)
	rig := newFaultRig(t, 400)
	srv := rig.startProc(t)
	s := rig.startStream(4, srv.base)
	// Kill only once the stream is well under way, so requests are in
	// flight at every stage of the pipeline when SIGKILL lands.
	if !s.waitAcked(150, 20*time.Second) {
		s.halt()
		t.Fatalf("the stream did not get going: %s\n%s", rig.count(t, s), srv.logTail())
	}
	srv.kill()
	t.Logf("killed the server after %d acknowledged ids", s.nAcked.Load())
	srv = rig.startProc(t)
	s.setBase(srv.base)
	// The restarted server must take new work too, not just sweep.
	if !s.waitAcked(40, 20*time.Second) {
		s.halt()
		t.Fatalf("the restarted server acknowledged nothing: %s\n%s", rig.count(t, s), srv.logTail())
	}
	s.halt()
	stranded := rig.waitSwept(t, sweepWait)
	c := rig.count(t, s)
	t.Logf("census: %s", c)
	if stranded > 0 {
		t.Errorf("%d rows still in status received %s after the restart: nothing swept them", stranded, sweepWait)
	}
	if f := c.failures(); len(f) > 0 {
		t.Errorf("after kill -9 and restart:\n  %s", strings.Join(f, "\n  "))
	}
	if c.Acknowledged == 0 || c.Stored < c.Acknowledged {
		t.Errorf("the census cannot be right: %s", c)
	}
	if err := srv.stop(); err != nil {
		t.Errorf("%v\n%s", err, srv.logTail())
	}
}

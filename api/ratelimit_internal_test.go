package api

import (
	"math"
	"testing"
	"time"
)

// slidingRate is the count httprate's limiter sees at elapsed into the
// current window, t later, if no failure comes meanwhile.
func slidingRate(window, elapsed, t time.Duration, cur, prev int) float64 {
	at := elapsed + t
	w := float64(window)
	switch {
	case at < window:
		return float64(prev)*(1-float64(at)/w) + float64(cur)
	case at < 2*window:
		return float64(cur) * (1 - float64(at-window)/w)
	}
	return 0
}

// TestRetryAfterIsWhenTheNextAttemptPasses checks retryAfter against the
// sliding count: just after the wait one more attempt is let through, a
// second before it it is not.
func TestRetryAfterIsWhenTheNextAttemptPasses(t *testing.T) {
	l := newFailureLimiter(10, time.Minute)
	tests := []struct {
		elapsed   time.Duration
		cur, prev int
		want      time.Duration
	}{
		{0, 10, 0, 63 * time.Second},                         // ten failures now: the window, then 5% of the next
		{20 * time.Second, 10, 0, 43 * time.Second},          // the same, later in the window
		{0, 0, 20, 31500 * time.Millisecond},                 // only last window's: they fade out
		{0, 5, 10, 33 * time.Second},                         // both
		{50 * time.Second, 12, 30, 22500 * time.Millisecond}, // too many for this window
	}
	for _, tc := range tests {
		got := l.retryAfter(tc.elapsed, tc.cur, tc.prev)
		if math.Abs(float64(got-tc.want)) > float64(time.Millisecond) {
			t.Errorf("retryAfter(%v, cur %d, prev %d) = %v, want %v", tc.elapsed, tc.cur, tc.prev, got, tc.want)
		}
		if !l.over(slidingRate(l.window, tc.elapsed, 0, tc.cur, tc.prev)) {
			t.Errorf("case %+v is not over the limit to begin with", tc)
		}
		if l.over(slidingRate(l.window, tc.elapsed, got+time.Millisecond, tc.cur, tc.prev)) {
			t.Errorf("case %+v: still over the limit after Retry-After %v", tc, got)
		}
		if !l.over(slidingRate(l.window, tc.elapsed, got-time.Second, tc.cur, tc.prev)) {
			t.Errorf("case %+v: under the limit a second before Retry-After %v", tc, got)
		}
	}
	if got := retryAfterSeconds(31500 * time.Millisecond); got != "32" {
		t.Errorf("Retry-After of 31.5s = %s, want 32 (rounded up)", got)
	}
	if got := retryAfterSeconds(0); got != "1" {
		t.Errorf("Retry-After of 0 = %s, want at least 1", got)
	}
}

// TestFailuresAreCountedPerClient drives the limiter itself: only the
// failing client is blocked, after exactly limit failures.
func TestFailuresAreCountedPerClient(t *testing.T) {
	l := newFailureLimiter(3, time.Hour)
	for i := range 3 {
		if _, blocked := l.blocked("a"); blocked {
			t.Fatalf("blocked after %d failures, limit 3", i)
		}
		l.failed("a")
	}
	wait, blocked := l.blocked("a")
	if !blocked || wait <= 0 || wait > 2*time.Hour {
		t.Errorf("after 3 failures: blocked %v, wait %v", blocked, wait)
	}
	if _, blocked := l.blocked("b"); blocked {
		t.Error("another client is blocked too")
	}
}

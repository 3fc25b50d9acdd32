package eval

import (
	"sync"
	"time"
)

// Clock is the replay clock. The service under test reads the time from
// it (triage.Config.Now) and the replay sets it to each case's time, so
// decisions and resolutions carry the times of the data rather than of the
// run, and two runs record the same times.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock at the Unix epoch.
func NewClock() *Clock { return &Clock{t: time.Unix(0, 0).UTC()} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t.UTC()
}

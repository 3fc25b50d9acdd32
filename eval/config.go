package eval

import (
	"fmt"
	"io"
	"time"

	"github.com/billtriage/billtriage/dataset/generate"
	"github.com/billtriage/billtriage/triage"
)

// Defaults of the threshold search.
const (
	DefaultTargetPrecision = 0.99
	// DefaultMinSupport is the fewest automated test cases a recommended
	// threshold may rest on: below it a precision of 0.99 is one lucky
	// streak, not evidence.
	DefaultMinSupport = 20
)

// Config is one benchmark run.
type Config struct {
	// Service is the pipeline under test, on a fresh, empty store. Its
	// clock must be Clock.Now.
	Service *triage.Service
	Clock   *Clock
	Input   *Input
	// Split is the history fraction; SplitAt, when set, wins over it.
	Split   float64
	SplitAt time.Time
	// NoFeedback keeps the test part's resolutions out of the history.
	NoFeedback      bool
	TargetPrecision float64
	MinSupport      int
	// Invoices and Risk, both given, add the risk model's metrics.
	Invoices []triage.Invoice
	Risk     RiskScorer
	// Truth, when set, is the generator's truth file by record id: which
	// texts hide the cause and which labels name a sibling cause instead
	// of the true one. The metrics then split automation by vague and
	// clear text and count the mislabelled cases automated.
	Truth map[string]generate.Truth
	// Progress, when set, gets a line now and then during the replay.
	Progress io.Writer
	// Step, when set, is called after each test case is triaged with how
	// many are done of how many, for a progress bar; the replay's own
	// count lines are then left out of Progress.
	Step func(done, total int)
}

func (c *Config) validate() error {
	switch {
	case c.Service == nil || c.Clock == nil || c.Input == nil:
		return fmt.Errorf("eval: Service, Clock and Input are required")
	case c.TargetPrecision <= 0 || c.TargetPrecision > 1:
		return fmt.Errorf("eval: target precision must be in (0, 1], not %v", c.TargetPrecision)
	case c.MinSupport < 1:
		return fmt.Errorf("eval: minimum support must be at least 1, not %d", c.MinSupport)
	}
	return nil
}

func (c *Config) progress(format string, args ...any) {
	if c.Progress != nil {
		fmt.Fprintf(c.Progress, format+"\n", args...)
	}
}

package main

import (
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress is a bar with rate and ETA on stderr when that is a terminal,
// and nothing at all otherwise (logs, pipes, CI, tests) or when asked to
// be quiet: a bar's carriage returns would only clutter a file.
type progress struct {
	bar *progressbar.ProgressBar
}

// newProgress returns a bar counting total units (unknown when -1) under
// description, or a silent one when w is not a terminal or quiet is set.
func newProgress(w io.Writer, quiet bool, total int64, description, unit string) *progress {
	if quiet || !isTerminal(w) {
		return &progress{}
	}
	return &progress{bar: progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(description),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString(unit),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetWidth(30),
		progressbar.OptionOnCompletion(func() { _, _ = io.WriteString(w, "\n") }),
	)}
}

// Set moves the bar to n units done.
func (p *progress) Set(n int64) {
	if p.bar != nil {
		_ = p.bar.Set64(n)
	}
}

// Describe changes the text before the bar, for a new phase.
func (p *progress) Describe(s string) {
	if p.bar != nil {
		p.bar.Describe(s)
	}
}

// Done completes the bar and ends its line.
func (p *progress) Done() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}

// Active reports whether a bar is being drawn.
func (p *progress) Active() bool { return p.bar != nil }

// isTerminal reports whether w is a character device such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

package triage

import "time"

// Observer is told about each decision and resolution as it happens; the
// API's Prometheus metrics implement it. Calls are synchronous and must be
// cheap.
type Observer interface {
	Decided(ex Exception, d Decision, took time.Duration)
	Resolved(ex Exception, r Resolution)
}

type noObserver struct{}

func (noObserver) Decided(Exception, Decision, time.Duration) {}
func (noObserver) Resolved(Exception, Resolution)             {}

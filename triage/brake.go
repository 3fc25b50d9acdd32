package triage

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// PauseTTL is how long a replica trusts the pause states it read: a
// decision reads them from memory, and a pause or resume made on another
// replica holds here within PauseTTL (on this replica at once).
const PauseTTL = 5 * time.Second

// pauseCache keeps the pause states a replica read last.
type pauseCache struct {
	mu     sync.Mutex
	at     time.Time
	paused map[Type]Pause
}

// pausedType returns t's pause when automation of t is paused. Without a
// drift store nothing pauses.
func (s *Service) pausedType(ctx context.Context, t Type) (Pause, bool, error) {
	if s.alarms == nil {
		return Pause{}, false, nil
	}
	c := &s.pauses
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.paused == nil || time.Since(c.at) > PauseTTL {
		ps, err := s.alarms.Pauses(ctx)
		if err != nil {
			return Pause{}, false, err
		}
		m := map[Type]Pause{}
		for _, p := range ps {
			if p.Paused {
				m[p.Type] = p
			}
		}
		c.paused, c.at = m, time.Now()
	}
	p, ok := c.paused[t]
	return p, ok, nil
}

// forgetPauses makes the next decision read the pause states again.
func (s *Service) forgetPauses() {
	s.pauses.mu.Lock()
	s.pauses.paused = nil
	s.pauses.mu.Unlock()
}

// PauseReason is what an item held by the brake says. Two decimals, or
// three when two would print the precision equal to the floor (0.979
// against 0.98).
func PauseReason(precision, floor float64, last int) string {
	digits := 2
	if fmt.Sprintf("%.2f", precision) == fmt.Sprintf("%.2f", floor) {
		digits = 3
	}
	return fmt.Sprintf("automation paused: precision %.*f < %.*f over the last %d", digits, precision, digits, floor, last)
}

// afterVerdict applies t's brake at once after a verdict on one of its
// items (a resolution, a revert, a failed posting), so that a type pauses
// on the verdict that breaks its floor rather than at the next drift
// check. A failure is logged: the verdict stands, and the periodic check
// applies the brake again.
func (s *Service) afterVerdict(ctx context.Context, t Type) {
	pol := s.policy.Load()
	if s.alarms == nil {
		return
	}
	if _, braked := pol.Brake[t]; !braked {
		return
	}
	if _, err := s.brake(ctx, pol, []Type{t}, s.now().UTC()); err != nil {
		s.log.Warn("the brake could not be applied after a verdict; the drift check will", "type", t, "err", err)
	}
}

// brake pauses each of types whose rule in pol its recent verdicts break.
// Only verdicts on decisions made since the type was last resumed count,
// so a resume is not undone by the verdicts that caused the pause.
func (s *Service) brake(ctx context.Context, pol *Policy, types []Type, now time.Time) ([]Alert, error) {
	ps, err := s.alarms.Pauses(ctx)
	if err != nil {
		return nil, err
	}
	state := map[Type]Pause{}
	for _, p := range ps {
		state[p.Type] = p
	}
	var raised []Alert
	for _, t := range types {
		rule, ok := pol.Brake[t]
		if !ok || state[t].Paused {
			continue
		}
		var since time.Time
		if r := state[t].ResumedAt; r != nil {
			since = *r
		}
		correct, total, err := s.alarms.RecentVerdicts(ctx, t, rule.Last, since)
		if err != nil {
			return raised, err
		}
		prec := ratio(correct, total)
		if total < rule.Last || prec >= rule.MinPrecision {
			continue
		}
		reason := PauseReason(prec, rule.MinPrecision, total)
		p := Pause{Type: t, Paused: true, Reason: reason, Precision: round4(prec), Floor: rule.MinPrecision, Last: total, PausedAt: now}
		a := Alert{Type: t, Kind: KindPaused, State: AlertOpen, Week: WeekLabel(now), Value: p.Precision, Threshold: rule.MinPrecision,
			Samples: total, Message: reason + "; an admin must resume it", RaisedAt: now, UpdatedAt: now}
		_, a, err = s.alarms.PauseAutomation(ctx, p, a, alertEvent(a))
		if ErrorCode(err) == ECONFLICT {
			continue // another replica paused it first
		}
		if err != nil {
			return raised, err
		}
		s.log.Warn("automation paused", "type", t, "reason", reason, "alert", a.ID)
		raised = append(raised, a)
	}
	s.forgetPauses()
	return raised, nil
}

package triage

import (
	"context"
	"fmt"
	"time"
)

// maxAlarmIDs bounds the identifiers a drift check reads per window and
// type for the shape comparison.
const maxAlarmIDs = 5000

// AlarmReport is what one drift check measured and did.
type AlarmReport struct {
	Measures []Measure `json:"measures"`
	// Raised are the alerts the check raised (pauses included), Cleared
	// the ids of those it resolved.
	Raised  []Alert `json:"raised"`
	Cleared []int64 `json:"cleared"`
}

// CheckAlarms measures the drift alarms for the current ISO week and the
// one before it (a week's automated decisions get most of their verdicts
// after it ends), stores the measures, raises an alert for each type and
// kind a known measure breaches, resolves an active one no week breaches
// any more, and applies the policy's brakes. The periodic job runs it on
// one replica.
func (s *Service) CheckAlarms(ctx context.Context) (AlarmReport, error) {
	if s.alarms == nil {
		return AlarmReport{}, Errorf(EUNAVAILABLE, "no drift store is configured")
	}
	pol, now := s.policy.Load(), s.now().UTC()
	th := pol.AlarmThresholds()
	var rep AlarmReport
	cur := WeekStart(now)
	for _, w := range []time.Time{cur.AddDate(0, 0, -7), cur} {
		to := w.AddDate(0, 0, 7)
		if to.After(now) {
			to = now
		}
		facts, err := s.alarms.AlarmFacts(ctx, AlarmQuery{From: w, To: to,
			RefFrom: w.AddDate(0, 0, -7*th.ReferenceWeeks), LateAfterDays: th.LateAfterDays, MaxIDs: maxAlarmIDs})
		if err != nil {
			return rep, err
		}
		for _, f := range facts {
			rep.Measures = append(rep.Measures, EvaluateAlarms(f, th, WeekLabel(w))...)
		}
	}
	if err := s.alarms.SaveMeasures(ctx, rep.Measures); err != nil {
		return rep, err
	}
	if err := s.reconcileAlerts(ctx, &rep, now); err != nil {
		return rep, err
	}
	paused, err := s.brake(ctx, pol, Types, now)
	rep.Raised = append(rep.Raised, paused...)
	return rep, err
}

type alertKey struct {
	t Type
	k AlertKind
}

// reconcileAlerts raises, updates and resolves the alarms' alerts from
// rep's measures; the brake's pauses are left to admins.
func (s *Service) reconcileAlerts(ctx context.Context, rep *AlarmReport, now time.Time) error {
	active, err := s.alarms.Alerts(ctx, "", 1000)
	if err != nil {
		return err
	}
	byKey := map[alertKey]Alert{}
	for _, a := range active {
		byKey[alertKey{a.Type, a.Kind}] = a
	}
	worst, known := map[alertKey]Measure{}, map[alertKey]bool{}
	var order []alertKey
	for _, m := range rep.Measures {
		k := alertKey{m.Type, m.Kind}
		known[k] = known[k] || m.Known
		if !m.Breach {
			continue
		}
		// The newest breaching week speaks for the alert.
		w, seen := worst[k]
		if !seen {
			order = append(order, k)
		}
		if !seen || m.Week > w.Week {
			worst[k] = m
		}
	}
	for _, k := range order {
		m := worst[k]
		a, isActive := byKey[k]
		if isActive {
			a.Week, a.Value, a.Threshold, a.Samples, a.Message, a.UpdatedAt = m.Week, m.Value, m.Threshold, m.Samples, alarmMessage(m), now
			if err := s.alarms.UpdateAlert(ctx, a); err != nil {
				return err
			}
			continue
		}
		a = Alert{Type: m.Type, Kind: m.Kind, State: AlertOpen, Week: m.Week, Value: m.Value, Threshold: m.Threshold,
			Samples: m.Samples, Message: alarmMessage(m), RaisedAt: now, UpdatedAt: now}
		a, err := s.alarms.RaiseAlert(ctx, a, alertEvent(a))
		if ErrorCode(err) == ECONFLICT {
			continue // raised by a check on another replica meanwhile
		}
		if err != nil {
			return err
		}
		s.log.Warn("drift alarm", "type", a.Type, "kind", a.Kind, "value", a.Value, "threshold", a.Threshold, "alert", a.ID)
		rep.Raised = append(rep.Raised, a)
	}
	for k, a := range byKey {
		if _, breached := worst[k]; breached || !known[k] || k.k == KindPaused {
			continue
		}
		if _, err := s.alarms.ChangeAlert(ctx, a.ID, AlertResolved, SystemActor, now); err != nil && ErrorCode(err) != ECONFLICT {
			return err
		}
		rep.Cleared = append(rep.Cleared, a.ID)
	}
	return nil
}

// alarmMessage says what a breaching measure means.
func alarmMessage(m Measure) string {
	var what string
	switch m.Kind {
	case KindPrecision:
		what = fmt.Sprintf("realised precision %.2f is below %.2f", m.Value, m.Threshold)
	case KindAutomatedShare:
		what = fmt.Sprintf("automated share %.2f moved more than %.2f from the reference window", m.Value, m.Threshold)
	case KindConfidencePSI:
		what = fmt.Sprintf("confidence shift (PSI) %.3f is above %.3f", m.Value, m.Threshold)
	case KindNewSources:
		what = fmt.Sprintf("%.0f new sources (more than %.0f)", m.Value, m.Threshold)
	case KindNewRootCauses:
		what = fmt.Sprintf("%.0f new root causes (more than %.0f)", m.Value, m.Threshold)
	case KindUnseenShapes:
		what = fmt.Sprintf("%.0f%% of identifiers have an unseen shape (more than %.0f%%)", 100*m.Value, 100*m.Threshold)
	case KindCalibration:
		what = fmt.Sprintf("risk calibration error %.3f is above %.3f", m.Value, m.Threshold)
	default:
		what = fmt.Sprintf("%s %.3f breaches %.3f", m.Kind, m.Value, m.Threshold)
	}
	msg := fmt.Sprintf("%s, %s: %s", m.Type, m.Week, what)
	if m.Detail != "" {
		msg += " (" + m.Detail + ")"
	}
	return msg
}

// alertEvent is the alert.raised event of a.
func alertEvent(a Alert) Event {
	return newEvent(EventAlertRaised, a.RaisedAt, EventData{Actor: SystemActor, Note: a.Message, Alert: &a})
}

package triage

import "context"

// MaxAlerts bounds one listing of alerts.
const MaxAlerts = 500

// Alerts lists alerts in state ("" for the active ones), newest first;
// any role may read them, as every page shows the active ones.
func (s *Service) Alerts(ctx context.Context, p Principal, state AlertState, limit int) ([]Alert, error) {
	if !p.Role.Valid() {
		return nil, Authorize(false, p, "read alerts")
	}
	if s.alarms == nil {
		return nil, Errorf(EUNAVAILABLE, "no drift store is configured")
	}
	if state != "" && !state.Valid() {
		return nil, Invalid("state", "must be open, acknowledged or resolved, not %q", state)
	}
	if limit < 1 || limit > MaxAlerts {
		return nil, Invalid("limit", "must be between 1 and %d", MaxAlerts)
	}
	as, err := s.alarms.Alerts(ctx, state, limit)
	if as == nil {
		as = []Alert{}
	}
	return as, err
}

// Alert returns one alert with its log.
func (s *Service) Alert(ctx context.Context, p Principal, id int64) (Alert, []AlertLogEntry, error) {
	if !p.Role.Valid() {
		return Alert{}, nil, Authorize(false, p, "read alerts")
	}
	if s.alarms == nil {
		return Alert{}, nil, Errorf(EUNAVAILABLE, "no drift store is configured")
	}
	return s.alarms.Alert(ctx, id)
}

// AcknowledgeAlert marks an open alert seen, if p administers; the log
// keeps who and when.
func (s *Service) AcknowledgeAlert(ctx context.Context, p Principal, id int64) (Alert, error) {
	if err := s.administerAlarms(p, "acknowledge alerts"); err != nil {
		return Alert{}, err
	}
	return s.alarms.ChangeAlert(ctx, id, AlertAcknowledged, p.Actor(), s.now().UTC())
}

// ResumeAlert resumes the automation an automation_paused alert paused,
// if p administers.
func (s *Service) ResumeAlert(ctx context.Context, p Principal, id int64) (Pause, error) {
	if err := s.administerAlarms(p, "resume automation"); err != nil {
		return Pause{}, err
	}
	a, _, err := s.alarms.Alert(ctx, id)
	if err != nil {
		return Pause{}, err
	}
	if a.Kind != KindPaused {
		return Pause{}, Errorf(ECONFLICT, "alert %d is a %s alarm, not a pause: acknowledge it instead", id, a.Kind)
	}
	if !a.State.Active() {
		return Pause{}, Errorf(ECONFLICT, "alert %d is resolved already", id)
	}
	return s.ResumeAutomation(ctx, p, a.Type)
}

// ResumeAutomation resumes automation of t after the brake paused it, if
// p administers: the pause's alert is resolved and the log keeps who and
// when. This replica decides automatically again at once, the others
// within PauseTTL.
func (s *Service) ResumeAutomation(ctx context.Context, p Principal, t Type) (Pause, error) {
	if err := s.administerAlarms(p, "resume automation"); err != nil {
		return Pause{}, err
	}
	if !t.Valid() {
		return Pause{}, Invalid("type", "unknown type %q (want one of %s)", t, joinTypes())
	}
	pause, err := s.alarms.ResumeAutomation(ctx, t, p.Actor(), s.now().UTC())
	s.forgetPauses()
	return pause, err
}

// Automation lists the types' pause states; any role may read them.
func (s *Service) Automation(ctx context.Context, p Principal) ([]Pause, error) {
	if !p.Role.Valid() {
		return nil, Authorize(false, p, "read automation states")
	}
	if s.alarms == nil {
		return nil, Errorf(EUNAVAILABLE, "no drift store is configured")
	}
	ps, err := s.alarms.Pauses(ctx)
	if ps == nil {
		ps = []Pause{}
	}
	return ps, err
}

// AlarmMeasures lists the measures of the last weeks ISO weeks, the
// current one included, newest first; any role may read them.
func (s *Service) AlarmMeasures(ctx context.Context, p Principal, weeks int) ([]Measure, error) {
	if !p.Role.Valid() {
		return nil, Authorize(false, p, "read drift measures")
	}
	if s.alarms == nil {
		return nil, Errorf(EUNAVAILABLE, "no drift store is configured")
	}
	if weeks < 1 || weeks > 52 {
		return nil, Invalid("weeks", "must be between 1 and 52")
	}
	ms, err := s.alarms.Measures(ctx, WeekStart(s.now()).AddDate(0, 0, -7*(weeks-1)))
	if ms == nil {
		ms = []Measure{}
	}
	return ms, err
}

// ActiveAlerts lists the active alerts for the UI's banner and the
// metrics, whoever is asking.
func (s *Service) ActiveAlerts(ctx context.Context) ([]Alert, error) {
	if s.alarms == nil {
		return nil, nil
	}
	return s.alarms.Alerts(ctx, "", MaxAlerts)
}

func (s *Service) administerAlarms(p Principal, what string) error {
	if !p.CanAdminister() {
		return Authorize(false, p, what)
	}
	if s.alarms == nil {
		return Errorf(EUNAVAILABLE, "no drift store is configured")
	}
	return nil
}

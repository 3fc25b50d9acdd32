package triage

import "fmt"

// Alarms is the policy's "alarms" group: the thresholds of the drift
// alarms (see CheckAlarms). Every field is optional; an absent one takes
// its value from DefaultAlarms, so a policy names only what it changes
// and a policy without the group keeps its version.
type Alarms struct {
	// MinPrecision raises an alarm when the realised precision of a
	// week's automated decisions (those people have since given a
	// verdict on) falls below it.
	MinPrecision *float64 `json:"min_precision,omitempty"`
	// MinVerdicts is how many verdicts a week needs before its precision
	// counts: a handful of reviews is noise.
	MinVerdicts *int `json:"min_verdicts,omitempty"`
	// MaxAutomatedShareChange raises an alarm when the share of a type's
	// items automated this week differs from the reference window's by
	// more than this (absolute, 0.2 = 20 points).
	MaxAutomatedShareChange *float64 `json:"max_automated_share_change,omitempty"`
	// MinDecisions is how many decisions a week (and the reference
	// window) needs before the share, the confidence shift and the
	// calibration count.
	MinDecisions *int `json:"min_decisions,omitempty"`
	// MaxConfidencePSI raises an alarm when the population stability
	// index of the week's decision confidences against the reference
	// window's exceeds it (0.1 is a small shift, 0.25 a large one).
	MaxConfidencePSI *float64 `json:"max_confidence_psi,omitempty"`
	// MaxNewSources and MaxNewRootCauses raise an alarm when more sources
	// (of a type's exceptions) or root causes (of its resolutions) than
	// this appear in a week that were never seen before it.
	MaxNewSources    *int `json:"max_new_sources,omitempty"`
	MaxNewRootCauses *int `json:"max_new_root_causes,omitempty"`
	// MaxUnseenShapeShare raises an alarm when more than this share of a
	// week's identifiers (invoice and customer ids) have a shape (see
	// IDShape) the reference window never had.
	MaxUnseenShapeShare *float64 `json:"max_unseen_shape_share,omitempty"`
	// MaxCalibrationError raises an alarm when the risk model's expected
	// calibration error (ten bins) on the invoices whose outcome became
	// known in the week exceeds it.
	MaxCalibrationError *float64 `json:"max_calibration_error,omitempty"`
	// LateAfterDays is when an unpaid invoice counts as late, for the
	// calibration: the risk model's default label.
	LateAfterDays *int `json:"late_after_days,omitempty"`
	// ReferenceWeeks is the reference window: the whole ISO weeks before
	// the measured one.
	ReferenceWeeks *int `json:"reference_weeks,omitempty"`
}

// AlarmThresholds are the drift alarms' thresholds in force: the policy's
// Alarms with DefaultAlarms filled in.
type AlarmThresholds struct {
	MinPrecision            float64 `json:"min_precision"`
	MinVerdicts             int     `json:"min_verdicts"`
	MaxAutomatedShareChange float64 `json:"max_automated_share_change"`
	MinDecisions            int     `json:"min_decisions"`
	MaxConfidencePSI        float64 `json:"max_confidence_psi"`
	MaxNewSources           int     `json:"max_new_sources"`
	MaxNewRootCauses        int     `json:"max_new_root_causes"`
	MaxUnseenShapeShare     float64 `json:"max_unseen_shape_share"`
	MaxCalibrationError     float64 `json:"max_calibration_error"`
	LateAfterDays           int     `json:"late_after_days"`
	ReferenceWeeks          int     `json:"reference_weeks"`
}

// DefaultAlarms are the thresholds a policy without them gets. README's
// "Drift alarms and the automatic brake" explains each.
var DefaultAlarms = AlarmThresholds{
	MinPrecision: 0.95, MinVerdicts: 20, MaxAutomatedShareChange: 0.2, MinDecisions: 30,
	MaxConfidencePSI: 0.25, MaxNewSources: 0, MaxNewRootCauses: 0, MaxUnseenShapeShare: 0.2,
	MaxCalibrationError: 0.1, LateAfterDays: 30, ReferenceWeeks: 4,
}

// AlarmThresholds returns the thresholds in force under p.
func (p *Policy) AlarmThresholds() AlarmThresholds {
	t := DefaultAlarms
	a := p.Alarms
	if a == nil {
		return t
	}
	setF := func(dst *float64, v *float64) {
		if v != nil {
			*dst = *v
		}
	}
	setI := func(dst *int, v *int) {
		if v != nil {
			*dst = *v
		}
	}
	setF(&t.MinPrecision, a.MinPrecision)
	setI(&t.MinVerdicts, a.MinVerdicts)
	setF(&t.MaxAutomatedShareChange, a.MaxAutomatedShareChange)
	setI(&t.MinDecisions, a.MinDecisions)
	setF(&t.MaxConfidencePSI, a.MaxConfidencePSI)
	setI(&t.MaxNewSources, a.MaxNewSources)
	setI(&t.MaxNewRootCauses, a.MaxNewRootCauses)
	setF(&t.MaxUnseenShapeShare, a.MaxUnseenShapeShare)
	setF(&t.MaxCalibrationError, a.MaxCalibrationError)
	setI(&t.LateAfterDays, a.LateAfterDays)
	setI(&t.ReferenceWeeks, a.ReferenceWeeks)
	return t
}

// BrakeRule is one type's automatic brake (the policy's "brake" group):
// when the realised precision of the type's last Last automated decisions
// that people have given a verdict on falls below MinPrecision, automation
// of the type pauses until an admin resumes it.
type BrakeRule struct {
	MinPrecision float64 `json:"min_precision"`
	Last         int     `json:"last"`
}

// MaxBrakeWindow bounds a brake's window: the verdicts are read at every
// drift check.
const MaxBrakeWindow = 10000

// validateAlarms checks the alarms and brake groups, naming the field.
func (p *Policy) validateAlarms() error {
	if a := p.Alarms; a != nil {
		for _, f := range []struct {
			name     string
			v        *float64
			min, max float64
		}{
			{"min_precision", a.MinPrecision, 0, 1}, {"max_automated_share_change", a.MaxAutomatedShareChange, 0, 1},
			{"max_confidence_psi", a.MaxConfidencePSI, 0, 10}, {"max_unseen_shape_share", a.MaxUnseenShapeShare, 0, 1},
			{"max_calibration_error", a.MaxCalibrationError, 0, 1},
		} {
			if f.v != nil && !(*f.v >= f.min && *f.v <= f.max) { // NaN fails too
				return Invalid("alarms."+f.name, "must be between %g and %g", f.min, f.max)
			}
		}
		for _, f := range []struct {
			name     string
			v        *int
			min, max int
		}{
			{"min_verdicts", a.MinVerdicts, 1, 1000000}, {"min_decisions", a.MinDecisions, 1, 1000000},
			{"max_new_sources", a.MaxNewSources, 0, 1000000}, {"max_new_root_causes", a.MaxNewRootCauses, 0, 1000000},
			{"late_after_days", a.LateAfterDays, 1, 3650}, {"reference_weeks", a.ReferenceWeeks, 1, 52},
		} {
			if f.v != nil && (*f.v < f.min || *f.v > f.max) {
				return Invalid("alarms."+f.name, "must be between %d and %d", f.min, f.max)
			}
		}
	}
	for t, b := range p.Brake {
		field := fmt.Sprintf("brake.%s", t)
		switch {
		case !t.Valid():
			return Invalid("brake", "unknown type %q (want one of %s)", t, joinTypes())
		case !(b.MinPrecision > 0 && b.MinPrecision <= 1):
			return Invalid(field+".min_precision", "must be above 0 and at most 1")
		case b.Last < 1 || b.Last > MaxBrakeWindow:
			return Invalid(field+".last", "must be between 1 and %d", MaxBrakeWindow)
		}
	}
	return nil
}

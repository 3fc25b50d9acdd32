package dataset

import (
	"math"
	"slices"
	"strings"
	"time"

	"github.com/billtriage/billtriage/triage"
)

// Validate checks one record against format v1 and returns nil when it is
// valid, otherwise a *LineError with Line 0 naming the first bad field (nested
// fields are dotted, e.g. "resolution.queue"), so that an HTTP API can report
// the field without re-implementing the rules. Uniqueness of id is a property
// of a whole stream and is checked by ReadRecords and WriteRecords, not here.
func Validate(rec Record) error {
	if le := validateRecord(rec); le != nil {
		return le
	}
	return nil
}

// validateRecord is Validate with a concrete result type, so that callers in
// this package can set the line number without a type assertion.
func validateRecord(rec Record) *LineError {
	switch {
	case strings.TrimSpace(rec.ID) == "":
		return fieldErr("id", "is required")
	case rec.OccurredAt.IsZero():
		return fieldErr("occurred_at", "is required (RFC 3339 time)")
	case !encodableTime(rec.OccurredAt):
		return fieldErr("occurred_at", "year is outside 0000-9999")
	}
	// The exception's own rules are the domain's, so a file and the API
	// accept the same exceptions.
	ex := rec.Exception()
	if err := ex.Validate(); err != nil {
		return fieldErr(triage.ErrorField(err), triage.ErrorMessage(err))
	}
	if rec.Resolution != nil {
		return validateResolution(*rec.Resolution)
	}
	return nil
}

func validateResolution(res Resolution) *LineError {
	switch {
	case strings.TrimSpace(res.RootCause) == "":
		return fieldErr("resolution.root_cause", "is required")
	case strings.TrimSpace(res.Action) == "":
		return fieldErr("resolution.action", "is required")
	case res.Queue != "" && !slices.Contains(Queues, res.Queue):
		return fieldErr("resolution.queue", "must be one of "+strings.Join(Queues, ", "))
	case res.ResolvedAt != nil && !encodableTime(*res.ResolvedAt):
		return fieldErr("resolution.resolved_at", "year is outside 0000-9999")
	}
	// Params are free JSON like attributes and are stored the same way;
	// their corrections' keys are indexed, so they get the same bounds.
	if err := triage.ValidateAttributes("resolution.params", res.Params); err != nil {
		return fieldErr(triage.ErrorField(err), triage.ErrorMessage(err))
	}
	return nil
}

func fieldErr(field, msg string) *LineError {
	return &LineError{Field: field, Msg: msg}
}

func finite(f float64) bool {
	return !math.IsNaN(f) && !math.IsInf(f, 0)
}

// encodableTime reports whether t survives RFC 3339 encoding, which only
// allows four-digit years; a time that can't be written can't be read back.
func encodableTime(t time.Time) bool {
	y := t.Year()
	return y >= 0 && y <= 9999
}

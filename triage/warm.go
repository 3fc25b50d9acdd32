package triage

import (
	"context"
	"errors"
)

// WarmSource is what a Store offers for Warm: the names the history holds.
// A store without it leaves the caches to fill as triage asks.
type WarmSource interface {
	// KnownActions returns every action the history's resolutions name.
	KnownActions(ctx context.Context) ([]string, error)
	// CorrectionFields returns every field the corrections memory holds.
	CorrectionFields(ctx context.Context) ([]string, error)
}

// Warm fills what the service learns from the history and caches: every
// type's cause words, every known action's parameter schema and every
// corrected field's prior. Each is learned on first use anyway; learning
// them at start, beside the first requests rather than inside them, keeps
// a fresh replica's first triages from paying for it (a type's cause words
// read 3,000 resolutions: 20–60 ms at a 100k history). What it learns is
// what the first triage would have learned, so decisions do not change.
func (s *Service) Warm(ctx context.Context) error {
	var errs []error
	for _, t := range Types {
		if _, err := s.causeWords(ctx, t); err != nil {
			errs = append(errs, err)
		}
	}
	src, ok := s.store.(WarmSource)
	if !ok {
		return errors.Join(errs...)
	}
	actions, err := src.KnownActions(ctx)
	errs = append(errs, err)
	for _, a := range actions {
		if _, err := s.paramSchema(ctx, a); err != nil {
			errs = append(errs, err)
		}
	}
	fields, err := src.CorrectionFields(ctx)
	errs = append(errs, err)
	for _, f := range fields {
		if _, err := s.fieldPrior(ctx, f); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

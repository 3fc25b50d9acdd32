package triage_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/billtriage/billtriage/triage"
)

func TestErrorHelpers(t *testing.T) {
	inv := triage.Invalid("amount", "must be finite")
	wrapped := fmt.Errorf("context: %w", inv)
	internal := errors.New("pq: secret detail")
	tests := []struct {
		err       error
		code, msg string
		field     string
	}{
		{nil, "", "internal error", ""},
		{wrapped, triage.EINVALID, "must be finite", "amount"},
		{internal, triage.EINTERNAL, "internal error", ""},
		{triage.Wrap(triage.EINTERNAL, internal, "boom"), triage.EINTERNAL, "internal error", ""},
		{triage.Errorf(triage.ENOTFOUND, "exception %d not found", 7), triage.ENOTFOUND, "exception 7 not found", ""},
	}
	for _, tc := range tests {
		if got := triage.ErrorCode(tc.err); got != tc.code {
			t.Errorf("ErrorCode(%v) = %q, want %q", tc.err, got, tc.code)
		}
		if tc.err != nil {
			if got := triage.ErrorMessage(tc.err); got != tc.msg {
				t.Errorf("ErrorMessage(%v) = %q, want %q", tc.err, got, tc.msg)
			}
		}
		if got := triage.ErrorField(tc.err); got != tc.field {
			t.Errorf("ErrorField(%v) = %q, want %q", tc.err, got, tc.field)
		}
	}
}

func TestExceptionValidate(t *testing.T) {
	ok := func() triage.Exception {
		return triage.Exception{Type: triage.UsageMismatch, Text: "usage late", OccurredAt: timeNow()}
	}
	nan := 0.0
	nan = nan / nan
	tests := []struct {
		name  string
		mod   func(*triage.Exception)
		field string
	}{
		{"valid", func(*triage.Exception) {}, ""},
		{"type", func(e *triage.Exception) { e.Type = "bogus" }, "type"},
		{"text", func(e *triage.Exception) { e.Text = "  " }, "text"},
		{"occurred_at", func(e *triage.Exception) { e.OccurredAt = zeroTime() }, "occurred_at"},
		{"amount", func(e *triage.Exception) { e.Amount = &nan }, "amount"},
		{"currency", func(e *triage.Exception) { e.Currency = "usd" }, "currency"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := ok()
			tc.mod(&e)
			err := e.Validate()
			if got := triage.ErrorField(err); got != tc.field || (tc.field != "" && triage.ErrorCode(err) != triage.EINVALID) {
				t.Errorf("Validate() = %v, want field %q", err, tc.field)
			}
		})
	}
}

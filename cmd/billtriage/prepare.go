package main

import (
	"strings"

	"github.com/billtriage/billtriage/disputes/email"
	"github.com/billtriage/billtriage/triage"
)

// prepareText is the service's triage.Preparer: email text loses its
// quoted history, signature and disclaimer (what the customer wrote this
// time is what says what is wrong), then the attributes are appended.
// Texts that are not emails come through the parser unchanged.
func prepareText(text string, attrs map[string]any) string {
	if e, err := email.Parse([]byte(text)); err == nil {
		if body := e.Text(); strings.TrimSpace(body) != "" {
			text = body
		}
	}
	return triage.PrepareText(text, attrs)
}

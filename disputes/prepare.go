package disputes

import (
	"strings"

	"github.com/billtriage/billtriage/disputes/email"
	"github.com/billtriage/billtriage/triage"
)

// PrepareText is a triage.Preparer for a service that receives dispute
// emails: an email's text loses its quoted history, signature and
// disclaimer (what the customer wrote this time is what says what is
// wrong), then triage.PrepareText appends the attributes. Texts that are
// not emails come through the parser unchanged. It lives here rather than
// in package email so that the parser stays free of the triage domain.
func PrepareText(text string, attrs map[string]any) string {
	if body, err := email.BodyText([]byte(text)); err == nil && strings.TrimSpace(body) != "" {
		text = body
	}
	return triage.PrepareText(text, attrs)
}

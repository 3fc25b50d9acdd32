package email

import (
	"regexp"
	"strings"
)

// replyPrefix matches one reply or forward marker at the start of a subject,
// in the languages whose mail clients agents most often see ("AW"/"WG" are
// German, "TR" French, "SV"/"VS" Nordic), with an optional counter as in
// "Re[2]:".
var replyPrefix = regexp.MustCompile(`(?i)^\s*(?:re|fwd?|aw|wg|tr|sv|vs|rif|r)\s*(?:\[\d{1,3}\])?\s*:\s*`)

// stripReplyPrefixes removes every leading reply and forward marker, since
// they say nothing about the dispute and differ between otherwise identical
// threads.
func stripReplyPrefixes(s string) string {
	for {
		loc := replyPrefix.FindStringIndex(s)
		if loc == nil || loc[1] == 0 {
			return strings.TrimSpace(s)
		}
		s = s[loc[1]:]
	}
}

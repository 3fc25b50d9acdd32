package email

import (
	"net/mail"
	"strings"
	"time"
)

// pastedDateLayouts are how mail clients print the date of a message when
// it is copied rather than exported: Outlook's "Sent:" line, Gmail's and
// Apple Mail's reply headers.
var pastedDateLayouts = []string{
	"Monday, January 2, 2006 3:04 PM",
	"Monday, January 2, 2006 3:04:05 PM",
	"Monday, January 2, 2006 15:04",
	"Monday, 2 January 2006 15:04",
	"Monday, 2 January 2006 3:04 PM",
	"Mon, Jan 2, 2006, 3:04 PM",
	"Mon, Jan 2, 2006 3:04 PM",
	"Mon, 2 Jan 2006 15:04",
	"January 2, 2006 3:04:05 PM MST",
	"January 2, 2006 3:04:05 PM",
	"January 2, 2006 3:04 PM",
	"2 January 2006 15:04",
	"1/2/2006 3:04:05 PM",
	"1/2/2006 3:04 PM",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	time.RFC3339,
}

// parseHeaderDate reads a Date or Sent value: RFC 5322 first, then the
// layouts above, then any date the body extractor can find (French or
// German "Envoyé : lundi 3 mars 2025 10:15" gives the day at midnight UTC).
func parseHeaderDate(v string, refYear int) (time.Time, bool) {
	v = oneLine(v)
	if t, err := mail.ParseDate(v); err == nil {
		return t, true
	}
	norm := strings.Join(strings.Fields(strings.NewReplacer(" at ", " ", " um ", " ", " à ", " ").Replace(v)), " ")
	for _, layout := range pastedDateLayouts {
		if t, err := time.Parse(layout, norm); err == nil {
			return t, true
		}
	}
	if ds := extractDates(v, refYear); len(ds) > 0 {
		return ds[0], true
	}
	return time.Time{}, false
}

package dataset

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

const dateOnly = "2006-01-02"

// parseDate accepts an RFC 3339 time or a bare date, which is what most
// billing exports hold; a bare date means midnight UTC.
func parseDate(s string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	t, err := time.Parse(dateOnly, s)
	return t, err == nil
}

// formatDate writes midnight UTC as a bare date, so that files that came in
// as dates go back out as dates; anything else keeps its full precision.
func formatDate(t time.Time) string {
	if t.Location() == time.UTC && t.Equal(t.Truncate(24*time.Hour)) {
		return t.Format(dateOnly)
	}
	return t.Format(time.RFC3339Nano)
}

// parseBool accepts the spellings spreadsheets and ERPs actually use; an
// empty cell means false.
func parseBool(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "true", "1", "yes", "":
		return s != "", true
	case "false", "0", "no":
		return false, true
	}
	return false, false
}

// formatAmount uses the shortest form that parses back to the same float.
func formatAmount(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func parseAmount(s string) (float64, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || !finite(f) {
		return 0, fmt.Errorf("not a finite number")
	}
	return f, nil
}

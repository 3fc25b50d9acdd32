package email

import (
	"iter"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
)

var (
	// dayBeforeRe and dayAfterRe read the day and year around a month
	// name: "3 March", "3rd of March", "1er mars", "3. März" before it;
	// "March 3", "Mar. 3rd, 2025", "March 2025" after it. They run on a few
	// bytes around each month word rather than over the whole text, which
	// keeps a large alternation of month names out of the regexp.
	dayBeforeRe = regexp.MustCompile(`(?i)(\d{1,2})(?:st|nd|rd|th|er)?\.?\s+(?:of\s+)?$`)
	dayAfterRe  = regexp.MustCompile(`^\.?(?:\s+(\d{1,2})(?:st|nd|rd|th)?\b)?(?:,?\s+(\d{4})\b)?`)
	// monthPreposition ends the text before a bare month name that means
	// the month itself: "in March", "since June", "en mars", "seit März".
	monthPreposition = regexp.MustCompile(`(?i)\b(?:in|since|during|from|until|till|for|of|before|after|early|late|mid|en|depuis|im|seit)[\s-]+$`)
)

// foundDate is a date and where it was found, for ordering.
type foundDate struct {
	at   int
	date time.Time
}

// extractDates returns the calendar days mentioned in s in order, without
// repeats. Dates without a year take refYear. A month without a day ("in
// March", "March 2025") stands for its first day. Slash and dash dates are
// read month first as in the US (03/04/2025 is March 4) unless the first
// field is over 12; dot dates are read day first as in Europe.
func extractDates(s string, refYear int) []time.Time {
	var found []foundDate
	found = append(found, numericDates(s)...)
	found = append(found, monthDates(s, refYear)...)
	sort.SliceStable(found, func(i, j int) bool { return found[i].at < found[j].at })
	var out []time.Time
	seen := make(map[time.Time]bool)
	for _, f := range found {
		if len(out) == maxFound {
			break
		}
		if !seen[f.date] {
			seen[f.date] = true
			out = append(out, f.date)
		}
	}
	return out
}

// numericDates finds dates written in digits.
func numericDates(s string) []foundDate {
	var out []foundDate
	digitRunStarts(s, func(i int) int {
		f, sep, end, ok := numericDate(s, i)
		if !ok || len(out) == maxFound {
			return i
		}
		t, ok := dateFromFields(f, sep)
		if !ok {
			return i
		}
		out = append(out, foundDate{i, t})
		return end
	})
	return out
}

// dateFromFields interprets the three fields of a numeric date: year
// first when the first field has four digits; otherwise day first after
// dots and month first (US) after slashes or dashes, unless the first
// field is over 12.
func dateFromFields(f [3]string, sep byte) (time.Time, bool) {
	a, b, c := atoi(f[0]), atoi(f[1]), atoi(f[2])
	switch {
	case len(f[0]) == 4 && len(f[1]) <= 2 && len(f[2]) <= 2:
		return makeDate(a, b, c)
	case len(f[0]) > 2 || len(f[1]) > 2:
		return time.Time{}, false
	case len(f[2]) == 2 && sep == '/':
		c += 2000
	case len(f[2]) != 4:
		return time.Time{}, false
	}
	if sep == '.' || a > 12 {
		return makeDate(c, b, a)
	}
	return makeDate(c, a, b)
}

// monthDates finds dates written with a month name. A month with neither
// day nor year counts only after a preposition ("in March"), since a bare
// "March" or "May" is too often something else.
func monthDates(s string, refYear int) []foundDate {
	var out []foundDate
	for start, end := range words(s) {
		month, ok := lookupMonth(s[start:end])
		if !ok {
			continue
		}
		at, day := dayBefore(s, start)
		after, year := dayAfter(s, end)
		if day == "" {
			day = after
		}
		if day == "" && year == "" && !monthPreposition.MatchString(lastChars(s[:start], 24)) {
			continue
		}
		y, d := refYear, 1
		if year != "" {
			y = atoi(year)
		}
		if day != "" {
			d = atoi(day)
		}
		if t, ok := makeDate(y, int(month), d); ok {
			out = append(out, foundDate{at, t})
		}
		if len(out) == maxFound {
			break
		}
	}
	return out
}

// dayBefore reads a day written before the month word starting at i and
// returns where the date starts.
func dayBefore(s string, i int) (int, string) {
	window := lastChars(s[:i], 16)
	m := dayBeforeRe.FindStringSubmatchIndex(window)
	if m == nil {
		return i, ""
	}
	start := i - len(window) + m[2]
	if start > 0 && isWordByte(s[start-1]) {
		return i, ""
	}
	return start, window[m[2]:m[3]]
}

// dayAfter reads a day and a year written after the month word ending at
// i.
func dayAfter(s string, i int) (day, year string) {
	window := s[i:min(len(s), i+24)]
	m := dayAfterRe.FindStringSubmatchIndex(window)
	return group(window, m, 1), group(window, m, 2)
}

// words yields the start and end of each letter run in s.
func words(s string) iter.Seq2[int, int] {
	return func(yield func(int, int) bool) {
		start := -1
		for i, r := range s {
			letter := unicode.IsLetter(r)
			switch {
			case letter && start < 0:
				start = i
			case !letter && start >= 0:
				if !yield(start, i) {
					return
				}
				start = -1
			}
		}
		if start >= 0 {
			yield(start, len(s))
		}
	}
}

func isWordByte(b byte) bool {
	return b == '_' || ('0' <= b && b <= '9') || ('a' <= b && b <= 'z') || ('A' <= b && b <= 'Z')
}

// group returns submatch i of m in s, "" when it or m did not match.
func group(s string, m []int, i int) string {
	if m == nil || m[2*i] < 0 {
		return ""
	}
	return s[m[2*i]:m[2*i+1]]
}

// lastChars returns at most the last n bytes of s, so a look-behind test
// costs the same however long the text before it is.
func lastChars(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// makeDate builds midnight UTC of a real calendar day in a plausible year;
// 30 February and year 9999 are rejected, not normalised.
func makeDate(y, m, d int) (time.Time, bool) {
	if y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

func atoi(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return -1
	}
	return n
}

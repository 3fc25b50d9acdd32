package email

import (
	"strings"
	"unicode"
)

// cleanText makes text safe and regular for the line-based stages and for
// storage: valid UTF-8, "\n" line ends, no control characters (Postgres
// rejects NUL in text), no trailing spaces, no byte order marks.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(cleanRune, s)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRightFunc(l, unicode.IsSpace)
	}
	return strings.Join(lines, "\n")
}

// cleanRune maps a lone CR to a line break and drops other controls, the
// BOM and zero-width spaces that mail clients leave in pasted text.
func cleanRune(r rune) rune {
	switch {
	case r == '\r':
		return '\n'
	case r == '\n' || r == '\t':
		return r
	case r == '\uFEFF' || r == '\u200B':
		return -1
	case unicode.IsControl(r):
		return -1
	}
	return r
}

// joinLines joins lines into text with single blank lines between
// paragraphs and none at either end.
func joinLines(lines []string) string {
	var b strings.Builder
	blank := false
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			blank = b.Len() > 0
			continue
		}
		if blank {
			b.WriteByte('\n')
			blank = false
		}
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// oneLine cleans a header value for display: one line, single spaces.
func oneLine(s string) string {
	return strings.Join(strings.Fields(cleanText(s)), " ")
}

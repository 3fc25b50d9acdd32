package text

import (
	"unicode"
	"unicode/utf8"
)

// IsWordRune reports whether r belongs inside a word. Marks count so that
// decomposed accents and Indic vowel signs do not split words.
func IsWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// IsJoiner reports punctuation kept inside a chunk when it sits between
// word runes, so that INV-2041, 1,200.00, 2024-03-15 and billing@acme.com
// reach the shape classifier whole instead of as loose digit runs.
func IsJoiner(r rune) bool {
	switch r {
	case '-', '_', '.', '/', ':', ',', '#', '@':
		return true
	}
	return IsApostrophe(r)
}

// IsApostrophe covers the ASCII and typographic apostrophes that email
// clients substitute for each other.
func IsApostrophe(r rune) bool {
	return r == '\'' || r == '\u2019'
}

// IsSentenceBreak reports separators that end a sentence or a table cell;
// bigrams must not join words across them.
func IsSentenceBreak(r rune) bool {
	switch r {
	case '.', '!', '?', ';', '\n', '|':
		return true
	}
	return false
}

// CountClasses counts the letter-like and digit runes of a chunk.
func CountClasses(c string) (letters, digits int) {
	for _, r := range c {
		switch {
		case unicode.IsDigit(r):
			digits++
		case unicode.IsLetter(r) || unicode.IsMark(r):
			letters++
		}
	}
	return letters, digits
}

// IsASCIIDigit reports whether b is 0-9; identifiers are ASCII, so the
// shape scanners need no Unicode tables for their digit runs.
func IsASCIIDigit(b byte) bool {
	return '0' <= b && b <= '9'
}

// AppendLower appends the lowercase form of r, with an ASCII fast path
// because almost all billing text is ASCII.
func AppendLower(b []byte, r rune) []byte {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return append(b, byte(r))
	}
	return utf8.AppendRune(b, unicode.ToLower(r))
}

package classify

import (
	"unicode"
	"unicode/utf8"
)

// isWordRune reports whether r belongs inside a word. Marks count so that
// decomposed accents and Indic vowel signs do not split words.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// isJoiner reports punctuation kept inside a chunk when it sits between
// word runes, so that INV-2041, 1,200.00, 2024-03-15 and billing@acme.com
// reach the shape classifier whole instead of as loose digit runs.
func isJoiner(r rune) bool {
	switch r {
	case '-', '_', '.', '/', ':', ',', '#', '@':
		return true
	}
	return isApostrophe(r)
}

// isApostrophe covers the ASCII and typographic apostrophes that email
// clients substitute for each other.
func isApostrophe(r rune) bool {
	return r == '\'' || r == '\u2019'
}

// isSentenceBreak reports separators that end a sentence or a table cell;
// bigrams must not join words across them.
func isSentenceBreak(r rune) bool {
	switch r {
	case '.', '!', '?', ';', '\n', '|':
		return true
	}
	return false
}

// countClasses counts the letter-like and digit runes of a chunk.
func countClasses(c string) (letters, digits int) {
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

func isASCIIDigit(b byte) bool {
	return '0' <= b && b <= '9'
}

// appendLower appends the lowercase form of r, with an ASCII fast path
// because almost all billing text is ASCII.
func appendLower(b []byte, r rune) []byte {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return append(b, byte(r))
	}
	return utf8.AppendRune(b, unicode.ToLower(r))
}

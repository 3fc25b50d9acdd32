package embeddings

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
// word runes, so that INV-2041, 1,200.00, 2024-03-15, cus_N8x and
// billing@acme.com reach the shape classifier whole.
func isJoiner(r rune) bool {
	switch r {
	case '-', '_', '.', '/', ':', ',', '#', '@':
		return true
	}
	return isApostrophe(r)
}

// isApostrophe covers the ASCII and typographic apostrophes that email
// clients substitute.
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

// countClasses counts letter-like and digit runes of a chunk.
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

package email

import (
	"iter"
	"strings"
)

// Numbers and numeric dates are found by hand-written scanners rather than
// regexps: both start at every digit, and an unanchored regexp search
// steps an automaton over every byte of a 256 KB paste several times over.

// digitsEnd returns the end of the run of ASCII digits starting at i.
func digitsEnd(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

// digitRunStarts calls match with the start of each run of digits in s
// that begins at an ASCII word boundary. When match returns a position
// past the start, scanning resumes there, so matches never overlap;
// otherwise it resumes after the run.
func digitRunStarts(s string, match func(start int) (end int)) {
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			i++
			continue
		}
		if i > 0 && isWordByte(s[i-1]) {
			i = digitsEnd(s, i)
			continue
		}
		if end := match(i); end > i {
			i = end
			continue
		}
		i = digitsEnd(s, i)
	}
}

// numbers yields the spans of the numbers in s: digits with "." or ","
// between digit groups ("1,234.56", "1.234,56"), or groups of three split
// by a space, no-break space or narrow no-break space ("1 490,00").
// Numbers glued to letters before them (INV2041) are skipped.
func numbers(s string) iter.Seq2[int, int] {
	return func(yield func(int, int) bool) {
		stop := false
		digitRunStarts(s, func(start int) int {
			if stop {
				return len(s)
			}
			end := spaceGroupedEnd(s, start)
			if end < 0 {
				end = plainNumberEnd(s, start)
			}
			stop = !yield(start, end)
			return end
		})
	}
}

// plainNumberEnd returns the end of digits joined by single '.' or ','.
func plainNumberEnd(s string, i int) int {
	j := digitsEnd(s, i)
	for j+1 < len(s) && (s[j] == '.' || s[j] == ',') && isDigit(s[j+1]) {
		j = digitsEnd(s, j+1)
	}
	return j
}

// spaceGroupedEnd returns the end of a space-grouped number starting at i,
// -1 if there is none: one to three digits, then one or more space and
// three-digit groups, then an optional decimal part of one or two digits,
// at a word boundary.
func spaceGroupedEnd(s string, i int) int {
	k := digitsEnd(s, i)
	if k-i > 3 {
		return -1
	}
	groups := 0
	for {
		sep := spaceSepLen(s, k)
		if sep == 0 {
			break
		}
		d := digitsEnd(s, k+sep)
		if d-(k+sep) != 3 {
			break
		}
		k, groups = d, groups+1
	}
	if groups == 0 {
		return -1
	}
	if k+1 < len(s) && (s[k] == '.' || s[k] == ',') {
		if d := digitsEnd(s, k+1); d-k-1 >= 1 && d-k-1 <= 2 {
			k = d
		}
	}
	if k < len(s) && isWordByte(s[k]) {
		return -1
	}
	return k
}

// spaceSepLen returns the byte length of a thousands-separating space at
// i, 0 if there is none.
func spaceSepLen(s string, i int) int {
	for _, sp := range []string{" ", "\u00a0", "\u202f"} {
		if strings.HasPrefix(s[i:], sp) {
			return len(sp)
		}
	}
	return 0
}

// numericDate reads a date written in digits at i: year first
// (2025-03-03, 2025/3/3), or day and month first with a four-digit year
// (03/03/2025, 3.3.2025, 03-03-2025) or a two-digit one after slashes
// (3/3/25). Both separators must be the same. It returns the three
// fields, the separator and the end, or ok false.
func numericDate(s string, i int) (f [3]string, sep byte, end int, ok bool) {
	pos := i
	for n := 0; n < 3; n++ {
		e := digitsEnd(s, pos)
		if e == pos || e-pos > 4 {
			return f, 0, 0, false
		}
		f[n] = s[pos:e]
		pos = e
		if n == 2 {
			break
		}
		if pos >= len(s) || !strings.ContainsRune("-/.", rune(s[pos])) || (n == 1 && s[pos] != sep) {
			return f, 0, 0, false
		}
		sep = s[pos]
		pos++
	}
	if pos < len(s) && isWordByte(s[pos]) {
		return f, 0, 0, false
	}
	return f, sep, pos, true
}

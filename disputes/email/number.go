package email

import (
	"math"
	"strconv"
	"strings"
)

// parseNumber reads a number written with "," or "." as thousands or
// decimal separator, in either convention ("1,234.56", "1.234,56"). The
// last separator is the decimal point unless exactly three digits follow it
// and nothing says otherwise, so "1,200" and "1.200" are both 1200 while
// "49,99" is 49.99 and "0.125" is 0.125. Malformed grouping ("1,20,0") is
// rejected rather than guessed.
func parseNumber(s string) (float64, bool) {
	if len(s) == 0 || len(s) > 32 {
		return 0, false
	}
	if strings.ContainsAny(s, spaceSeparators) {
		return parseSpaceGrouped(s)
	}
	last := strings.LastIndexAny(s, ".,")
	if last < 0 {
		return parseDigits(s)
	}
	intPart, frac, sep := s[:last], s[last+1:], s[last]
	if !isDecimalSep(intPart, frac, sep) {
		digits, ok := ungroup(s, sep)
		if !ok {
			return 0, false
		}
		return parseDigits(digits)
	}
	if strings.IndexByte(intPart, sep) >= 0 {
		return 0, false
	}
	digits, ok := ungroup(intPart, otherSep(sep))
	if !ok {
		return 0, false
	}
	return parseDigits(digits + "." + frac)
}

// spaceSeparators are the spaces French and other locales group thousands
// with: space, no-break space, narrow no-break space.
const spaceSeparators = " \u00a0\u202f"

// parseSpaceGrouped reads "1 490,00": numberRe already checked the groups,
// so with the spaces gone the one separator left is the decimal point.
func parseSpaceGrouped(s string) (float64, bool) {
	digits := strings.Map(func(r rune) rune {
		if strings.ContainsRune(spaceSeparators, r) {
			return -1
		}
		return r
	}, s)
	if strings.Count(digits, ".")+strings.Count(digits, ",") > 1 {
		return 0, false
	}
	return parseDigits(strings.Replace(digits, ",", ".", 1))
}

// isDecimalSep decides whether the last separator is a decimal point.
func isDecimalSep(intPart, frac string, sep byte) bool {
	return len(frac) != 3 || intPart == "0" || strings.IndexByte(intPart, otherSep(sep)) >= 0
}

func otherSep(sep byte) byte {
	if sep == '.' {
		return ','
	}
	return '.'
}

// ungroup removes thousands separators sep from s, checking that they
// split it into a leading group of one to three digits and then groups of
// exactly three. A string without separators is returned as it is.
func ungroup(s string, sep byte) (string, bool) {
	if strings.IndexByte(s, otherSep(sep)) >= 0 {
		return "", false
	}
	groups := strings.Split(s, string(sep))
	if len(groups) == 1 {
		return s, true
	}
	if len(groups[0]) == 0 || len(groups[0]) > 3 {
		return "", false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return "", false
		}
	}
	return strings.Join(groups, ""), true
}

func parseDigits(s string) (float64, bool) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false
	}
	return v, true
}

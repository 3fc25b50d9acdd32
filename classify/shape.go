package classify

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Shape tokens replace numbers and identifiers. Two disputes about
// different invoices should be classified by what went wrong, not told
// apart because INV-2041 and INV-7730 hash to different buckets; the shape
// still records that an amount, a date or an id was mentioned, which is
// itself a signal (an amount suggests a charge, a date a deadline). The
// angle brackets cannot occur in a word token, so shapes never collide
// with words.
const (
	shapeNum    = "<num>"
	shapeAmount = "<amount>"
	shapeDate   = "<date>"
	shapeID     = "<id>"
)

// longDigits is where a bare digit run stops looking like a quantity and
// starts looking like an account, order or phone number.
const longDigits = 7

// maxPrefixRunes bounds the letter prefix kept from an identifier: "INV",
// "SKU", "cus" are meaningful; a long letter run glued to digits is part
// of an opaque id.
const maxPrefixRunes = 12

// numberShape classifies a chunk of digits and joiners; currency reports a
// currency symbol right before it.
func numberShape(c string, currency bool) string {
	if isDate(c) {
		return shapeDate
	}
	digits, plain := 0, true
	for _, r := range c {
		if unicode.IsDigit(r) {
			digits++
		} else if r != '.' && r != ',' {
			plain = false
		}
	}
	switch {
	case plain && (currency || hasCents(c)):
		return shapeAmount
	case plain && strings.ContainsAny(c, ".,"):
		return shapeNum
	case digits >= longDigits:
		return shapeID
	default:
		return shapeNum
	}
}

// hasCents reports a two-digit decimal part ("1,200.00", "1.200,00"), the
// usual spelling of an amount.
func hasCents(c string) bool {
	n := len(c)
	return n >= 4 && (c[n-3] == '.' || c[n-3] == ',') && isASCIIDigit(c[n-2]) && isASCIIDigit(c[n-1])
}

// isDate matches three digit groups joined by one repeated separator, with
// a leading four-digit year (2024-03-15) or a trailing year (15/03/2024).
func isDate(c string) bool {
	var groups [3]int
	g, sep := 0, byte(0)
	for i := 0; i < len(c); i++ {
		switch b := c[i]; {
		case isASCIIDigit(b):
			groups[g]++
		case (b == '-' || b == '/' || b == '.') && (sep == 0 || b == sep) && g < 2:
			sep, g = b, g+1
		default:
			return false
		}
	}
	leading := groups[0] == 4 && groups[1] <= 2 && groups[2] <= 2
	trailing := groups[0] <= 2 && groups[1] <= 2 && (groups[2] == 2 || groups[2] == 4)
	return g == 2 && groups[1] > 0 && groups[2] > 0 && (leading || trailing)
}

// isDateTime matches an ISO timestamp such as 2024-03-15T10:30:00Z.
func isDateTime(c string) bool {
	return len(c) > 10 && (c[10] == 'T' || c[10] == 't') && isDate(c[:10])
}

// addMixed handles a chunk with both letters and digits. A short letter
// prefix keeps its meaning (INV-2041 gives "inv" and <id>), a quantity
// with a unit keeps the unit (30-day gives <num> and "day"), anything else
// is an opaque <id>.
func (sc *scratch) addMixed(c string) {
	if isDateTime(c) {
		sc.addShape(shapeDate)
		return
	}
	if p := letterPrefix(c); p != "" {
		sc.addWord(p)
		sc.addShape(shapeID)
		return
	}
	if unit, ok := unitSuffix(c); ok {
		sc.addShape(shapeNum)
		if !isOrdinal(unit) {
			sc.addWord(unit)
		}
		return
	}
	sc.addShape(shapeID)
}

// letterPrefix returns the leading letter run of c when it is 2 to
// maxPrefixRunes runes long; the caller knows digits follow.
func letterPrefix(c string) string {
	runes := 0
	for i, r := range c {
		if !unicode.IsLetter(r) && !unicode.IsMark(r) {
			if runes >= 2 && runes <= maxPrefixRunes {
				return c[:i]
			}
			return ""
		}
		runes++
	}
	return ""
}

// unitSuffix matches digits, an optional joiner, then letters to the end
// ("30-day", "12months", "3rd") and returns the letters.
func unitSuffix(c string) (string, bool) {
	i := 0
	for i < len(c) && isASCIIDigit(c[i]) {
		i++
	}
	if i == 0 || i == len(c) {
		return "", false
	}
	if r, n := utf8.DecodeRuneInString(c[i:]); isJoiner(r) {
		i += n
	}
	for _, r := range c[i:] {
		if !unicode.IsLetter(r) && !unicode.IsMark(r) {
			return "", false
		}
	}
	return c[i:], utf8.RuneCountInString(c[i:]) >= 2
}

// isOrdinal reports English ordinal suffixes, which add nothing once the
// number is a shape.
func isOrdinal(s string) bool {
	for _, o := range [...]string{"st", "nd", "rd", "th"} {
		if strings.EqualFold(s, o) {
			return true
		}
	}
	return false
}

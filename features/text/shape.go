package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Shape tokens replace numbers and identifiers. Two exceptions about
// different invoices should match on what went wrong, not differ because
// INV-2041 and INV-7730 hash to different buckets; the shape still records
// that an amount or an id was mentioned. The angle brackets cannot occur
// in a word token, so shapes never collide with words.
const (
	Num    = "<num>"
	Amount = "<amount>"
	Date   = "<date>"
	ID     = "<id>"
	Empty  = "<empty>"
)

// longDigits is where a bare digit run stops looking like a quantity and
// starts looking like an account, order or phone number.
const longDigits = 7

// maxPrefixRunes bounds the letter prefix kept from an identifier: "INV",
// "SKU", "cus" are meaningful, a long letter run glued to digits is not a
// prefix but part of an opaque id.
const maxPrefixRunes = 12

// NumberShape classifies a chunk of digits and joiners. currency reports
// a currency symbol right before it.
func NumberShape(c string, currency bool) string {
	if IsDate(c) {
		return Date
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
		return Amount
	case plain && strings.ContainsAny(c, ".,"):
		return Num
	case digits >= longDigits:
		return ID
	default:
		return Num
	}
}

// hasCents reports a two-digit decimal part ("1,200.00", "1.200,00"),
// the usual spelling of an amount.
func hasCents(c string) bool {
	n := len(c)
	return n >= 4 && (c[n-3] == '.' || c[n-3] == ',') && IsASCIIDigit(c[n-2]) && IsASCIIDigit(c[n-1])
}

// IsDate matches three digit groups joined by one repeated separator with
// either a leading four-digit year (2024-03-15) or a trailing year
// (15/03/2024, 03.15.24).
func IsDate(c string) bool {
	var groups [3]int
	g, sep := 0, byte(0)
	for i := 0; i < len(c); i++ {
		switch b := c[i]; {
		case IsASCIIDigit(b):
			groups[g]++
		case (b == '-' || b == '/' || b == '.') && (sep == 0 || b == sep) && g < 2:
			sep, g = b, g+1
		default:
			return false
		}
	}
	leadingYear := groups[0] == 4 && groups[1] <= 2 && groups[2] <= 2
	trailingYear := groups[0] <= 2 && groups[1] <= 2 && (groups[2] == 2 || groups[2] == 4)
	return g == 2 && groups[1] > 0 && groups[2] > 0 && (leadingYear || trailingYear)
}

// IsDateTime matches an ISO timestamp such as 2024-03-15T10:30:00Z.
func IsDateTime(c string) bool {
	return len(c) > 10 && (c[10] == 'T' || c[10] == 't') && IsDate(c[:10])
}

// Sink receives the tokens Mixed emits, in order.
type Sink interface {
	AddWord(w string)
	AddShape(s string)
}

// Mixed handles a chunk with letters and digits. A short letter prefix
// keeps its meaning (INV-2041 gives "inv" and <id>), a quantity with a
// unit keeps the unit (30-day gives <num> and "day"), anything else is an
// opaque <id>.
func Mixed(c string, sink Sink) {
	if IsDateTime(c) {
		sink.AddShape(Date)
		return
	}
	if p := letterPrefix(c); p != "" {
		sink.AddWord(p)
		sink.AddShape(ID)
		return
	}
	if unit, ok := unitSuffix(c); ok {
		sink.AddShape(Num)
		if !isOrdinal(unit) {
			sink.AddWord(unit)
		}
		return
	}
	sink.AddShape(ID)
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
	for i < len(c) && IsASCIIDigit(c[i]) {
		i++
	}
	if i == 0 || i == len(c) {
		return "", false
	}
	if r, n := utf8.DecodeRuneInString(c[i:]); IsJoiner(r) {
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

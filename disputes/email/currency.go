package email

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// currencySymbols maps symbols to ISO 4217 codes, longest first so that
// "CA$" wins over "$" when both end at the same place.
var currencySymbols = []struct{ sym, code string }{
	{"US$", "USD"}, {"CA$", "CAD"}, {"AU$", "AUD"}, {"NZ$", "NZD"},
	{"HK$", "HKD"}, {"C$", "CAD"}, {"A$", "AUD"}, {"S$", "SGD"}, {"R$", "BRL"},
	{"$", "USD"}, {"€", "EUR"}, {"£", "GBP"}, {"¥", "JPY"}, {"₹", "INR"},
}

// isoCodes are the ISO 4217 codes recognised when written out; the list
// is the currencies SaaS vendors bill in, to keep three-letter words and
// acronyms from being read as money.
var isoCodes = map[string]bool{
	"USD": true, "EUR": true, "GBP": true, "JPY": true, "CAD": true, "AUD": true,
	"NZD": true, "CHF": true, "SEK": true, "NOK": true, "DKK": true, "PLN": true,
	"CZK": true, "HUF": true, "INR": true, "CNY": true, "BRL": true, "MXN": true,
	"SGD": true, "HKD": true, "ZAR": true, "ILS": true, "AED": true, "KRW": true,
	"TRY": true,
}

// casualCodes may also be written in lower case ("50 usd"); the other codes
// must be upper case because in lower case they are words ("try", "ils").
var casualCodes = map[string]bool{"USD": true, "EUR": true, "GBP": true, "CAD": true, "AUD": true, "CHF": true}

// isoCode returns the code w spells, if it is one.
func isoCode(w string) (string, bool) {
	code := strings.ToUpper(w)
	if len(w) != 3 || !isoCodes[code] || (w != code && !casualCodes[code]) {
		return "", false
	}
	return code, true
}

// currencyWords maps currency names written after a number, one or two
// words, to codes. A bare "dollars" is taken as USD like a bare "$".
var currencyWords = map[string]string{
	"dollar": "USD", "dollars": "USD", "bucks": "USD", "us dollars": "USD",
	"canadian dollars": "CAD", "australian dollars": "AUD",
	"euro": "EUR", "euros": "EUR", "pound": "GBP", "pounds": "GBP",
	"pounds sterling": "GBP", "sterling": "GBP", "yen": "JPY",
	"swiss francs": "CHF", "rupees": "INR",
}

// currencyBefore looks for a currency right before the number at start,
// allowing one space ("USD 1,200", "€ 49"). It returns the code and where
// the currency begins.
func currencyBefore(s string, start int) (string, int) {
	head := strings.TrimSuffix(strings.TrimSuffix(s[:start], " "), "\u00a0")
	for _, c := range currencySymbols {
		if strings.HasSuffix(head, c.sym) && !letterBefore(head, len(head)-len(c.sym)) {
			return c.code, len(head) - len(c.sym)
		}
	}
	if len(head) >= 3 {
		if code, ok := isoCode(head[len(head)-3:]); ok && !letterBefore(head, len(head)-3) {
			return code, len(head) - 3
		}
	}
	return "", start
}

// currencyAfter looks for a currency right after the number ending at end,
// allowing one space ("49,99 €", "1.200 EUR", "50 dollars"). It returns the
// code and where the currency ends.
func currencyAfter(s string, end int) (string, int) {
	rest := s[end:]
	skip := len(rest) - len(strings.TrimPrefix(strings.TrimPrefix(rest, " "), "\u00a0"))
	rest = rest[skip:]
	for _, c := range currencySymbols {
		if strings.HasPrefix(rest, c.sym) {
			return c.code, end + skip + len(c.sym)
		}
	}
	if w, n := leadingWords(rest, 1); n > 0 {
		if code, ok := isoCode(w); ok {
			return code, end + skip + n
		}
	}
	for words := 2; words >= 1; words-- {
		w, n := leadingWords(rest, words)
		if code, ok := currencyWords[strings.ToLower(w)]; ok {
			return code, end + skip + n
		}
	}
	return "", end
}

// leadingWords returns the first n words of s (letters only, single spaces
// between) and their length in bytes; fewer words when s has fewer.
func leadingWords(s string, n int) (string, int) {
	i := 0
	for w := 0; w < n; w++ {
		j := i
		if w > 0 {
			if !strings.HasPrefix(s[i:], " ") {
				break
			}
			j++
		}
		k := j
		for k < len(s) && k-j < 20 {
			r, size := utf8.DecodeRuneInString(s[k:])
			if !unicode.IsLetter(r) {
				break
			}
			k += size
		}
		if k == j {
			break
		}
		i = k
	}
	return s[:i], i
}

// letterBefore reports whether s has a letter right before i, which makes
// a symbol or code part of a longer word.
func letterBefore(s string, i int) bool {
	r, size := utf8.DecodeLastRuneInString(s[:i])
	return size > 0 && unicode.IsLetter(r)
}

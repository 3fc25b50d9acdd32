package email

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Amount is a sum of money mentioned in the e-mail.
type Amount struct {
	// Value is the amount in the currency's major unit, negative when the
	// text has a leading minus (credits, refunds written as -$50).
	Value float64 `json:"value"`
	// Currency is the ISO 4217 code. A bare "$" is taken as USD and "¥" as
	// JPY, the readings most likely in a SaaS billing dispute.
	Currency string `json:"currency"`
	// Text is the amount as written, e.g. "$1,200.00" or "49,99 €".
	Text string `json:"text"`
}

// extractAmounts returns the sums of money in s: numbers with a currency
// symbol, ISO code or currency word right before or after them. Numbers
// without a currency are skipped: in a dispute they are far more often
// seat counts, ids or dates than money.
func extractAmounts(s string) []Amount {
	var out []Amount
	for start, end := range numbers(s) {
		if len(out) == maxFound {
			break
		}
		if a, ok := amountAt(s, start, end); ok {
			out = append(out, a)
		}
	}
	return out
}

// amountAt reads the amount whose number spans s[start:end], if the number
// has a currency next to it and is well formed.
func amountAt(s string, start, end int) (Amount, bool) {
	if followedBy(s, end, "%") {
		return Amount{}, false
	}
	cur, from := currencyBefore(s, start)
	to := end
	mult := 1.0
	if cur != "" {
		mult, to = multiplierAfter(s, end)
	} else {
		if partOfToken(s, start) {
			return Amount{}, false
		}
		cur, to = currencyAfter(s, end)
		from = start
	}
	if cur == "" || nextIsWordChar(s, to) {
		return Amount{}, false
	}
	v, ok := parseNumber(s[start:end])
	if !ok || math.IsInf(v*mult, 0) {
		return Amount{}, false
	}
	if from > 0 && isMinus(s, from) {
		from -= minusLen(s, from)
		v = -v
	}
	return Amount{Value: v * mult, Currency: cur, Text: s[from:to]}, true
}

// partOfToken reports whether the number at start continues a word or
// code, as in INV-2041 or v2, and so is not an amount.
func partOfToken(s string, start int) bool {
	r, size := utf8.DecodeLastRuneInString(s[:start])
	if size == 0 {
		return false
	}
	if unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("#/_:", r) {
		return true
	}
	if r == '-' || r == '.' {
		prev, _ := utf8.DecodeLastRuneInString(s[:start-size])
		return unicode.IsLetter(prev) || unicode.IsDigit(prev)
	}
	return false
}

// nextIsWordChar reports whether a letter or digit follows position i,
// which would make the match part of a longer word ("50EURO2").
func nextIsWordChar(s string, i int) bool {
	r, size := utf8.DecodeRuneInString(s[i:])
	return size > 0 && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

func followedBy(s string, i int, what string) bool {
	return strings.HasPrefix(strings.TrimLeft(s[i:], " "), what)
}

// isMinus reports whether the text right before from is a minus sign that
// starts a token, so that "-$50" is negative but "10-$50" is a range.
func isMinus(s string, from int) bool {
	n := minusLen(s, from)
	if n == 0 {
		return false
	}
	r, size := utf8.DecodeLastRuneInString(s[:from-n])
	return size == 0 || unicode.IsSpace(r) || r == '('
}

func minusLen(s string, from int) int {
	switch {
	case strings.HasSuffix(s[:from], "-"):
		return 1
	case strings.HasSuffix(s[:from], "\u2212"):
		return len("\u2212")
	}
	return 0
}

// multiplierAfter reads a "k" or "M" glued to the number ("$5k"), returning
// the factor and where the amount ends.
func multiplierAfter(s string, end int) (float64, int) {
	switch {
	case strings.HasPrefix(s[end:], "k"), strings.HasPrefix(s[end:], "K"):
		return 1e3, end + 1
	case strings.HasPrefix(s[end:], "M"):
		return 1e6, end + 1
	}
	return 1, end
}
